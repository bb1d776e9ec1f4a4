using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraExport.AppHost.DemoTenant;

/// <summary>
/// In run mode, once the gateway is ready (it waits for every instance behind it): creates a demo tenant connected to the Jira simulator and writes
/// <c>.data/demo.json</c> so a person or a script can use the running system at once.
/// </summary>
internal static class DemoTenantSeeder
{
    public static void AddDemoTenant(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> gateway,
        IResourceBuilder<ProjectResource> jiraSimulator,
        IResourceBuilder<ParameterResource> adminKey)
    {
        if (!builder.Configuration.GetValue("DemoTenant:Enabled", true))
        {
            return;
        }

        var demoFile = Path.GetFullPath(builder.Configuration["DemoTenant:File"]
            ?? Path.Combine(builder.AppHostDirectory, "..", ".data", "demo.json"));
        gateway.OnResourceReady(async (_, readyEvent, cancellationToken) =>
        {
            var logger = readyEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoTenantSeeder));
            try
            {
                await SeedDemoFileAsync(gateway, jiraSimulator, adminKey, demoFile, cancellationToken);
                logger.LogInformation("Demo tenant ready: {DemoFile}", demoFile);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Seeding the demo tenant failed");
            }
        });
    }

    private static async Task SeedDemoFileAsync(
        IResourceBuilder<ProjectResource> gateway,
        IResourceBuilder<ProjectResource> jiraSimulator,
        IResourceBuilder<ParameterResource> adminKey,
        string demoFile,
        CancellationToken cancellationToken)
    {
        {
            // The Api and the hubs share the gateway's address; the file keeps both names for the scripts that read it.
            var publicBaseUrl = gateway.GetEndpoint("http").Url;
            var simulatorBaseUrl = jiraSimulator.GetEndpoint("http").Url;
            var key = await adminKey.Resource.GetValueAsync(cancellationToken) ?? string.Empty;
            var demo = await SeedAsync(publicBaseUrl, publicBaseUrl, simulatorBaseUrl, key, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(demoFile)!);
            await File.WriteAllTextAsync(demoFile, JsonSerializer.Serialize(demo, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
        }
    }

    private static async Task<DemoFile> SeedAsync(
        string apiBaseUrl, string realtimeBaseUrl, string simulatorBaseUrl, string adminKey, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(apiBaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);

        // The database outlives runs: a fresh slug each time keeps the seed simple and never collides.
        var slug = $"demo-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";
        using var tenantResponse = await http.PostAsJsonAsync("/api/v1/tenants", new { name = "Demo tenant", slug }, cancellationToken);
        tenantResponse.EnsureSuccessStatusCode();
        var tenant = await tenantResponse.Content.ReadFromJsonAsync<CreatedTenant>(cancellationToken)
            ?? throw new InvalidOperationException("The Api returned no tenant.");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/connections")
        {
            Content = JsonContent.Create(new
            {
                name = "Jira simulator",
                baseUrl = simulatorBaseUrl,
                deployment = "cloud",
                auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
            }),
        };
        request.Headers.Add("X-Api-Key", tenant.ApiKey);
        using var connectionResponse = await http.SendAsync(request, cancellationToken);
        if (connectionResponse.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating the demo connection failed: {(int)connectionResponse.StatusCode} {await connectionResponse.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var connection = await connectionResponse.Content.ReadFromJsonAsync<CreatedConnection>(cancellationToken)
            ?? throw new InvalidOperationException("The Api returned no connection.");
        return new DemoFile(apiBaseUrl, realtimeBaseUrl, adminKey, tenant.ApiKey, connection.Id);
    }

    private sealed record CreatedTenant(Guid Id, string ApiKey);

    private sealed record CreatedConnection(Guid Id);

    private sealed record DemoFile(string ApiBaseUrl, string RealtimeBaseUrl, string AdminKey, string TenantApiKey, Guid ConnectionId);
}
