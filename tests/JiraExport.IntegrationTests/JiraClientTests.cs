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

    [Fact]
    public async Task TheAgileApiGivesBoardsSprintsInJirasOrderTheirIssuesAndEpics()
    {
        var site = Site(JiraDeployment.Cloud);

        var boards = await Client.GetBoardsAsync(site, "GAMMA", Token);
        var board = Assert.Single(boards);
        Assert.Equal(("scrum", "GAMMA"), (board.Type, board.Location?.ProjectKey));
        Assert.Equal(5, (await Client.GetBoardsAsync(site, projectKey: null, Token)).Count);

        var sprints = await Client.GetSprintsAsync(site, board.Id, Token);
        Assert.True(sprints.Count > 50, $"{sprints.Count} sprints (the list pages by 50)");
        Assert.Equal(sprints.Count, sprints.Select(s => s.Id).Distinct().Count());
        var states = sprints.Select(s => s.State).ToList();
        Assert.Equal(states.OrderBy(s => s switch { "closed" => 0, "active" => 1, _ => 2 }), states);
        var closed = sprints.Where(s => s.State == "closed").ToList();
        Assert.All(closed, s => Assert.True(s.StartDate < s.CompleteDate, s.ToString()));

        var active = sprints.Single(s => s.State == "active");
        var keys = await Client.GetSprintIssueKeysAsync(site, active.Id, Token);
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith("GAMMA-", k));

        var epics = await Client.GetEpicsAsync(site, board.Id, Token);
        Assert.Equal(6, epics.Count);
        Assert.Equal(4, epics.Count(e => e.Done));
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
    public async Task TheCatalogListsProjectsIssueTypesStatusesWithCategoriesAndPriorities(JiraDeployment deployment)
    {
        var site = Site(deployment);

        Assert.Equal(["ALPHA", "BETA", "DELTA", "GAMMA"], (await Client.GetProjectsAsync(site, Token)).Select(p => p.Key).Order());
        Assert.Equal(["Bug", "Story", "Task"], (await Client.GetIssueTypesAsync(site, Token)).Select(t => t.Name).Order());
        var statuses = await Client.GetStatusesAsync(site, Token);
        Assert.Equal(("done", "new"), (statuses.Single(s => s.Name == "Done").StatusCategory?.Key, statuses.Single(s => s.Name == "To Do").StatusCategory?.Key));
        Assert.Equal(["Highest", "High", "Medium", "Low", "Lowest"], (await Client.GetPrioritiesAsync(site, Token)).Select(p => p.Name));
    }

    [Fact]
    public async Task CloudUsersArePagedToTheEnd()
    {
        var all = await Client.GetUsersAsync(Site(JiraDeployment.Cloud), Token);
        Assert.Equal(9, all.Count);

        // A site that answers four people a page, fewer than the client asks for: the client reads on to the empty page.
        await using var smallPages = JiraSimulatorApp.Build([], options => options.UserSearchPageCap = 4);
        smallPages.Urls.Add("http://127.0.0.1:0");
        await smallPages.StartAsync(Token);
        var paged = await Client.GetUsersAsync(Site(JiraDeployment.Cloud) with { BaseUrl = smallPages.GetBaseAddress() }, Token);

        Assert.Equal(all.Select(u => u.AccountId), paged.Select(u => u.AccountId));
        Assert.Equal(9, paged.Select(u => u.AccountId).Distinct().Count());
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
