using System.Net.Http.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.JiraSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The Jira client's catalog, Agile and paged reads against the simulator over HTTP, Cloud and Data Center.</summary>
public sealed class JiraClientTests : IAsyncLifetime
{
    private WebApplication _jira = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private JiraClient Client => _services.GetRequiredService<JiraClient>();

    public async ValueTask InitializeAsync()
    {
        _jira = JiraSimulatorApp.Build([]);
        _jira.Urls.Add("http://127.0.0.1:0");
        await _jira.StartAsync(Token);
        _services = CreateServices();
    }

    private static ServiceProvider CreateServices(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings ?? []) { ["Jira:AllowPrivateNetworks"] = "true" })
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddJiraClient()
            .BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _jira.DisposeAsync();
    }

    [Fact]
    public async Task AJiraThatAnswersWithoutEndIsCutOffAtTheResponseCap()
    {
        await using var capped = CreateServices(new() { ["Jira:MaxResponseBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var control = new HttpClient { BaseAddress = _jira.GetBaseAddress() };
        using (var armed = await control.PostAsJsonAsync("/_simulator/faults", new { kind = "oversized", count = 1, sizeBytes = 256 * 1024 * 1024 }, Token))
        {
            armed.EnsureSuccessStatusCode();
        }

        // 256 MiB of JSON, streamed without a length: the client stops reading at its 1 MiB cap.
        var refused = await Assert.ThrowsAsync<JiraException>(() => capped.GetRequiredService<JiraClient>().GetProjectsAsync(Site(JiraDeployment.Cloud), Token));
        Assert.Equal(JiraFailureKind.Protocol, refused.Kind);
        Assert.Contains("is larger than 1 MiB, the most JiraExport reads", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JiraDeployment.Cloud)]
    [InlineData(JiraDeployment.DataCenter)]
    public async Task LongHistoriesAndWorklogsArePagedToTheirEnd(JiraDeployment deployment)
    {
        var site = Site(deployment);

        // Issue 10007 has more than 130 histories; 10011 more than 20 worklogs (what an issue's field holds).
        var changelog = await Client.GetChangelogAsync(site, "10007", Token);
        Assert.True(changelog.Count > 130, $"{changelog.Count} histories");
        Assert.Equal(changelog.Count, changelog.Select(h => h.Id).Distinct().Count());
        Assert.Equal(changelog.OrderBy(h => h.Created).Select(h => h.Id), changelog.Select(h => h.Id));

        var worklogs = await Client.GetWorklogsAsync(site, "10011", Token);
        Assert.True(worklogs.Count > 20, $"{worklogs.Count} worklogs");
        Assert.Equal(worklogs.Count, worklogs.Select(w => w.GetProperty("id").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData(JiraDeployment.Cloud)]
    [InlineData(JiraDeployment.DataCenter)]
    public async Task TheProjectsTheCredentialsSeeAreListedToTheEnd(JiraDeployment deployment)
    {
        var site = Site(deployment);

        Assert.Equal(["ALPHA", "BETA", "DELTA", "GAMMA"], (await Client.GetProjectsAsync(site, Token)).Select(p => p.Key).Order());
    }

    [Fact]
    public async Task TheFieldListResolvesCustomFieldsBySchemaNotById()
    {
        var fields = await Client.GetFieldsAsync(Site(JiraDeployment.Cloud), Token);

        Assert.Equal("customfield_10020", fields.Single(f => f.Schema?.Custom == "com.pyxis.greenhopper.jira:gh-sprint").Id);
        Assert.Equal("customfield_10016", fields.Single(f => f.Name == "Story Points").Id);
        Assert.All(fields.Where(f => f.Custom), f => Assert.NotNull(f.Schema?.CustomId));
    }

    private JiraSite Site(JiraDeployment deployment) => new(
        _jira.GetBaseAddress(), deployment,
        deployment == JiraDeployment.Cloud ? new BasicJiraCredentials("demo@example.com", "sim-api-token") : new BearerJiraCredentials("sim-personal-access-token"));
}
