using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using JiraExport.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using Xunit;

namespace JiraExport.EndToEndTests;

/// <summary>The whole AppHost in host-process mode, as `eng/run.sh` starts it: servers, migrations, services, simulator, demo tenant.</summary>
public sealed class AppHostTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly string[] Instances =
        ["api-1", "api-2", "worker-1", "worker-2", "realtime-1", "realtime-2", ResourceNames.Gateway];

    [Fact]
    public async Task DemoTenantExportsSimulatorIssuesToPdfThroughTheWholeAppHost()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("jiraexport-e2e-");
        Directory.CreateDirectory(Path.Combine(dataDirectory.FullName, "host"));
        // The server processes run as their own users and must be able to enter the folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDirectory.FullName, (UnixFileMode)0b111_101_101);
        }

        var demoFile = Path.Combine(dataDirectory.FullName, "demo.json");
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(Token);
            startup.CancelAfter(TimeSpan.FromMinutes(4));

            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.JiraExport_AppHost>(
                [
                    "--Infrastructure:Mode=host",
                    $"--Infrastructure:DataDirectory={Path.Combine(dataDirectory.FullName, "host")}",
                    $"--DemoTenant:File={demoFile}",
                ],
                startup.Token);
            await using var app = await builder.BuildAsync(startup.Token);
            DemoFile demo;
            try
            {
                await app.StartAsync(startup.Token);
                // Every service twice, each instance a resource of its own; the gateway opens once all behind it answer.
                foreach (var instance in Instances)
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(instance, startup.Token);
                }

                demo = await WaitForDemoFileAsync(demoFile, startup.Token);
            }
            catch (OperationCanceledException) when (startup.IsCancellationRequested && !Token.IsCancellationRequested)
            {
                // Say which resource the start waited on, instead of a bare "task was canceled".
                throw new TimeoutException("The AppHost did not start within 4 minutes. " + DescribeResources(app));
            }

            // Everything through the one entry point.
            using var api = app.CreateHttpClient(ResourceNames.Gateway);
            api.DefaultRequestHeaders.Add("X-Api-Key", demo.TenantApiKey);

            using var test = await api.PostAsync($"/api/v1/connections/{demo.ConnectionId}/test", null, Token);
            var testResult = await test.Content.ReadFromJsonAsync<JsonElement>(Token);
            Assert.True(testResult.GetProperty("ok").GetBoolean(), testResult.ToString());

            using var request = await api.PostAsJsonAsync("/api/v1/exports",
                new { connectionId = demo.ConnectionId, jql = "project = BETA ORDER BY key ASC", format = "pdf", template = "issue-list", title = "Beta" }, Token);
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
            var location = request.Headers.Location!.ToString();

            JsonElement export;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(Token))
            {
                wait.CancelAfter(TimeSpan.FromMinutes(3));
                do
                {
                    await Task.Delay(500, wait.Token);
                    export = await api.GetFromJsonAsync<JsonElement>(location, wait.Token);
                }
                while (export.GetProperty("status").GetString() is "queued" or "running");
            }

            Assert.Equal("succeeded", export.GetProperty("status").GetString());
            Assert.Equal(1500, export.GetProperty("issueCount").GetInt32());

            var pdfBytes = await api.GetByteArrayAsync(location + "/file", Token);
            using var pdf = PdfDocument.Open(pdfBytes);
            Assert.Contains("BETA-1500", string.Concat(pdf.GetPages().Select(p => p.Text)));

            // The dashboard page is served, and knows the hub (behind the same gateway), which lets the page's origin in.
            Assert.Contains("dashboard.js", await api.GetStringAsync("/dashboard/", Token));
            var hubUrl = new Uri((await api.GetFromJsonAsync<JsonElement>("/dashboard/settings", Token)).GetProperty("hubUrl").GetString()!);
            Assert.Equal(api.BaseAddress!.Authority, hubUrl.Authority);
            Assert.Equal(demo.ApiBaseUrl, demo.RealtimeBaseUrl);
            using var realtime = new HttpClient();
            using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(hubUrl, "/hubs/exports/negotiate"));
            preflight.Headers.Add("Origin", demo.ApiBaseUrl.TrimEnd('/'));
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            using var allowed = await realtime.SendAsync(preflight, Token);
            Assert.Equal(demo.ApiBaseUrl.TrimEnd('/'), Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));

            // Prometheus scrapes every instance on its scrape port, one job per service, and has the export counted by the Worker.
            await app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", Token);
            using var prometheus = app.CreateHttpClient("prometheus", "http");
            var up = await PrometheusQueryAsync(prometheus, "up == 1", result => result.Count == Instances.Length);
            Assert.Equal(["api", "api", "gateway", "realtime", "realtime", "worker", "worker"],
                up.Select(r => r.GetProperty("metric").GetProperty("job").GetString()).Order());
            await PrometheusQueryAsync(prometheus, "sum(jiraexport_exports_finished_total{job=\"worker\",format=\"pdf\",status=\"succeeded\"}) >= 1",
                result => result.Count == 1);
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CommittedManifestEqualsWhatTheAppHostPublishes()
    {
        var repositoryRoot = Repository.Root;
        var outputDirectory = Directory.CreateTempSubdirectory("jiraexport-manifest-");
        try
        {
            // Exactly the documented command: dotnet run --project JiraExport.AppHost -- --publisher manifest --output-path <file>
            var (exitCode, output) = await Repository.RunAsync("dotnet",
                ["run", "--project", "JiraExport.AppHost", "--no-build", "--", "--publisher", "manifest",
                    "--output-path", Path.Combine(outputDirectory.FullName, "aspire-manifest.json")],
                TimeSpan.FromMinutes(2), Token);
            Assert.True(exitCode == 0, $"Publishing failed: {output}");

            var produced = Normalize(Path.Combine(outputDirectory.FullName, "aspire-manifest.json"));
            var committed = Normalize(Path.Combine(repositoryRoot, "deploy", "aspire-manifest.json"));
            Assert.Equal(committed, produced);
        }
        finally
        {
            outputDirectory.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheManifestAsksForTheKeyRingCertificateAndTheMailRelayAndFetchesSigningKeysOverHttps()
    {
        var resources = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "aspire-manifest.json")))!["resources"]!;

        // A deployment must bring its own certificate: a secret with no default to fall back on.
        var certificate = resources[KeyRingCertificate.ParameterName]!["inputs"]!["value"]!;
        Assert.True(certificate["secret"]!.GetValue<bool>());
        Assert.Null(certificate["default"]);
        foreach (var service in new[] { ResourceNames.Migrations, ResourceNames.Api, ResourceNames.Worker, ResourceNames.Realtime })
        {
            Assert.Equal($"{{{KeyRingCertificate.ParameterName}.value}}", resources[service]!["env"]!["DataProtection__KeyRingCertificate"]!.GetValue<string>());
        }

        // Mail goes to the deployment's own relay, never to the dev tool that keeps every mail (and its one-time links).
        Assert.Equal("parameter.v0", resources[ResourceNames.Mail]!["type"]!.GetValue<string>());
        Assert.True(resources[ResourceNames.Mail]!["inputs"]!["value"]!["secret"]!.GetValue<bool>());
        Assert.DoesNotContain(resources.AsObject(), r => r.Value?["image"]?.GetValue<string>().Contains("smtp4dev", StringComparison.Ordinal) == true);

        // Each service's scrape port is declared, told to the service, and never exposed outside the cluster.
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Realtime })
        {
            Assert.Equal($"{{{service}.bindings.metrics.targetPort}}", resources[service]!["env"]!["Metrics__Port"]!.GetValue<string>());
            Assert.Null(resources[service]!["bindings"]!["metrics"]!["external"]);
        }

        // Every long-running service keeps glibc to two malloc arenas (NativeMemory): without it resident memory crept up.
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Realtime, ResourceNames.Gateway })
        {
            Assert.Equal("2", resources[service]!["env"]!["MALLOC_ARENA_MAX"]!.GetValue<string>());
        }

        // Whoever can answer this address can mint tokens Realtime accepts: the deployment's own gateway, over HTTPS.
        Assert.StartsWith("{gateway.bindings.https.url}/", resources[ResourceNames.Realtime]!["env"]!["Auth__MetadataAddress"]!.GetValue<string>(), StringComparison.Ordinal);

        // Only the gateway is reachable from outside; it finds the services behind it by name.
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Realtime })
        {
            Assert.Null(resources[service]!["bindings"]!["http"]!["external"]);
        }

        var gateway = resources[ResourceNames.Gateway]!;
        Assert.True(gateway["bindings"]!["https"]!["external"]!.GetValue<bool>());
        Assert.Equal("https+http://api", gateway["env"]!["ReverseProxy__Clusters__api__Destinations__api__Address"]!.GetValue<string>());
        Assert.Equal("https+http://realtime", gateway["env"]!["ReverseProxy__Clusters__realtime__Destinations__realtime__Address"]!.GetValue<string>());
    }

    /// <summary>Asks Prometheus until its answer satisfies <paramref name="done"/> (a scrape comes every 15 s), then returns it.</summary>
    private static async Task<List<JsonElement>> PrometheusQueryAsync(HttpClient prometheus, string query, Func<List<JsonElement>, bool> done)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Token);
        wait.CancelAfter(TimeSpan.FromSeconds(90));
        List<JsonElement> result;
        do
        {
            await Task.Delay(1000, wait.Token);
            var answer = await prometheus.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}", wait.Token);
            result = [.. answer.GetProperty("data").GetProperty("result").EnumerateArray()];
        }
        while (!done(result));

        return result;
    }

    private static string DescribeResources(DistributedApplication app) => string.Join("; ",
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(resource =>
            app.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
                ? $"{resource.Name}: {state.Snapshot.State?.Text ?? "no state"}{(state.Snapshot.HealthStatus is { } health ? $" ({health})" : "")}"
                : $"{resource.Name}: never reported"));

    /// <summary>Project paths are written relative to the manifest; resolve them so the folder it was written to does not matter.</summary>
    private static string Normalize(string manifestPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var (_, resource) in root["resources"]!.AsObject())
        {
            if (resource?["path"] is JsonValue path)
            {
                resource["path"] = Path.GetFileName(path.GetValue<string>());
            }
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static async Task<DemoFile> WaitForDemoFileAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (File.Exists(path))
            {
                try
                {
                    return JsonSerializer.Deserialize<DemoFile>(await File.ReadAllTextAsync(path, cancellationToken), JsonSerializerOptions.Web)!;
                }
                catch (JsonException)
                {
                    // Still being written.
                }
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private sealed record DemoFile(string ApiBaseUrl, string RealtimeBaseUrl, string AdminKey, string TenantApiKey, Guid ConnectionId);
}
