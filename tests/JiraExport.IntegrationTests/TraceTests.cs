using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using JiraExport.IntegrationTests.Infrastructure.Otlp;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// One trace per export, per sync and per Jira webhook delivery, across every hop: the Api's request, the outbox relay's
/// publish, the Worker's job (with its database calls), the event's publish, and Realtime taking it to push to the
/// browsers. Each service exports its spans over OTLP, as to the Aspire dashboard or a deployment's collector.
/// </summary>
public sealed class TraceTests(TracedSystem system) : IClassFixture<TracedSystem>
{
    private const string Messaging = "JiraExport.Messaging";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnExportIsOneTraceFromTheApiRequestThroughTheOutboxRabbitMqAndTheWorkerToRealtime()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var export = await tenant.WaitForExportToFinishAsync(await tenant.RequestExportAsync("key = GAMMA-1", Token), Token);
        Assert.Equal("succeeded", export.Status);

        // Spans leave each service in batches, so the trace is read until Realtime's delivery of the completion is in it.
        var trace = await Polling.UntilAsync(() => Task.FromResult(ExportTrace()),
            spans => spans.Any(s => s is { Service: "JiraExport.Worker", Scope: Messaging, Name: "jx.exports process" })
                     && spans.Where(IsCompletionDeliveredToRealtime).Any(c =>
                         NearestAncestor(c, s => s is { Scope: Messaging, Name: "jx.events publish" }, spans) is not null),
            TimeSpan.FromSeconds(30), Token);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', trace.Select(s => $"{s.Service} {s.Kind} {s.Scope}: {s.Name}")));

        // The hops JiraExport's messaging makes, around RabbitMQ.Client's own spans (which the trace holds too): the job's
        // completion event written in its transaction, relayed, and taken by Realtime to push to the browsers.
        var job = JobRelayedFromTheApi(trace, "jx.exports process");
        var completion = trace.Where(IsCompletionDeliveredToRealtime)
            .First(c => NearestAncestor(c, s => s is { Scope: Messaging, Name: "jx.events publish" }, trace) is not null);
        var completionPublish = NearestAncestor(completion, s => s is { Scope: Messaging, Name: "jx.events publish" }, trace);
        Assert.NotNull(completionPublish);
        Assert.Equal(job, NearestAncestor(completionPublish, s => s is { Scope: Messaging, Kind: ReceivedSpan.Consumer }, trace));
        Assert.Contains(trace, s => s is { Service: "JiraExport.Realtime", Kind: ReceivedSpan.Consumer, Scope: Messaging, Name: "jx.realtime process" });

        // The database calls are in it, in both services.
        Assert.Contains(trace, s => s is { Service: "JiraExport.Api", Kind: ReceivedSpan.Client, Scope: "Npgsql" });
        Assert.Contains(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Client, Scope: "Npgsql" });
    }

    [Fact]
    public async Task ASyncIsOneTraceFromTheApiRequestThroughTheWorkerAndItsJiraCallsToRealtime()
    {
        var tenant = await system.CreateTenantAsync(Token);
        Assert.Equal("succeeded", (await tenant.SyncAsync(new { mode = "full", projects = new[] { "GAMMA" } }, Token)).Status);

        // Read until Realtime's delivery leads back to the Worker's job: each service sends its spans in batches of its own.
        var trace = await Polling.UntilAsync(() => Task.FromResult(TraceOf("/sync")),
            spans => spans.Any(s => IsDeliveredToRealtime(s, ".sync.completed")
                                    && NearestAncestor(s, a => a is { Service: "JiraExport.Worker", Scope: Messaging, Name: "jx.sync process" }, spans) is not null),
            TimeSpan.FromSeconds(30), Token);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', trace.Select(s => $"{s.Service} {s.Kind} {s.Scope}: {s.Name}")));

        var job = JobRelayedFromTheApi(trace, "jx.sync process");

        // The Worker's calls to Jira and its writes to the store are the job's; so is the completion Realtime pushes.
        Assert.Contains(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Client } && s.Name.StartsWith("GET", StringComparison.Ordinal)
                                    && NearestAncestor(s, a => a == job, trace) is not null);
        Assert.Contains(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Client, Scope: "Npgsql" } && NearestAncestor(s, a => a == job, trace) is not null);
        var completion = trace.First(s => IsDeliveredToRealtime(s, ".sync.completed"));
        Assert.Equal(job, NearestAncestor(completion, s => s is { Scope: Messaging, Kind: ReceivedSpan.Consumer } && s.Service == "JiraExport.Worker", trace));
    }

    [Fact]
    public async Task AJiraWebhookDeliveryIsOneTraceFromTheApiThroughTheWorkerAndItsJiraCallsToRealtime()
    {
        var tenant = await system.CreateTenantAsync(Token);
        Assert.Equal("succeeded", (await tenant.SyncAsync(new { mode = "full", projects = new[] { "GAMMA" } }, Token)).Status);
        var edited = (await tenant.ListStoredIssuesAsync(string.Empty, Token))[0];
        var secret = await tenant.Client.RotateWebhookSecretAsync(tenant.ConnectionId, Token);
        var url = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{tenant.ConnectionId}/webhook", Token)).GetProperty("url").GetString();

        // Jira's admin registers the URL and secret; the site then sends its delivery of the edit, as Jira does.
        using var simulator = system.CreateSimulatorClient();
        using (var registered = await simulator.PostAsJsonAsync("/_simulator/webhooks", new { url, secret }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }

        try
        {
            await system.EditJiraIssueAsync(edited.Key, "Edited while traced", Token);
            // Each service sends its spans in batches of its own: read until Realtime's delivery leads back to the Worker's job.
            var trace = await Polling.UntilAsync(() => Task.FromResult(TraceOf("/webhooks/jira/{connectionId:guid}")),
                spans => spans.Any(s => IsDeliveredToRealtime(s, ".issue.changed")
                                        && NearestAncestor(s, IsJiraWebhookJob, spans) is not null),
                TimeSpan.FromSeconds(30), Token);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', trace.Select(s => $"{s.Service} {s.Kind} {s.Scope}: {s.Name}")));

            // The delivery taken by the Api, relayed from its outbox, applied by the Worker's job.
            var job = JobRelayedFromTheApi(trace, "jx.jira-webhooks process");

            // The job reads the issue again from Jira (a search) and stores it; the change it records reaches Realtime.
            Assert.Contains(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Client, Scope: "System.Net.Http" }
                                        && NearestAncestor(s, a => a == job, trace) is not null);
            Assert.Contains(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Client, Scope: "Npgsql" } && NearestAncestor(s, a => a == job, trace) is not null);
            var change = trace.First(s => IsDeliveredToRealtime(s, ".issue.changed") && NearestAncestor(s, IsJiraWebhookJob, trace) is not null);
            Assert.Equal(job, NearestAncestor(change, s => s is { Scope: Messaging, Kind: ReceivedSpan.Consumer } && s.Service == "JiraExport.Worker", trace));
        }
        finally
        {
            using var removed = await simulator.DeleteAsync("/_simulator/webhooks", CancellationToken.None);
        }
    }

    /// <summary>
    /// The Worker's job of <paramref name="trace"/>, checked to have come from the Api's one request: written in its outbox,
    /// published by the Worker's relay, taken from RabbitMQ by <paramref name="process"/>.
    /// </summary>
    private static ReceivedSpan JobRelayedFromTheApi(IReadOnlyList<ReceivedSpan> trace, string process)
    {
        var request = Assert.Single(trace, s => s is { Service: "JiraExport.Api", Kind: ReceivedSpan.Server });
        var jobPublish = Assert.Single(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Producer, Scope: Messaging, Name: "jx.work publish" });
        var job = Assert.Single(trace, s => s is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Consumer, Scope: Messaging } && s.Name == process);
        Assert.Equal(request, NearestAncestor(jobPublish, s => s.Service == "JiraExport.Api", trace));
        Assert.Equal(jobPublish, NearestAncestor(job, s => s.Scope == Messaging, trace));
        return job;
    }

    private static bool IsJiraWebhookJob(ReceivedSpan span) =>
        span is { Service: "JiraExport.Worker", Kind: ReceivedSpan.Consumer, Scope: Messaging, Name: "jx.jira-webhooks process" };

    private static bool IsCompletionDeliveredToRealtime(ReceivedSpan span) => IsDeliveredToRealtime(span, ".export.completed");

    private static bool IsDeliveredToRealtime(ReceivedSpan span, string eventSuffix) =>
        span is { Service: "JiraExport.Realtime", Kind: ReceivedSpan.Consumer } && span.Name.EndsWith(eventSuffix, StringComparison.Ordinal);

    /// <summary>The spans of the trace whose Api server span posted the export.</summary>
    private List<ReceivedSpan> ExportTrace() => TraceOf("/exports");

    /// <summary>The spans of the trace whose Api server span is the first POST to a path ending <paramref name="pathEnd"/>.</summary>
    private List<ReceivedSpan> TraceOf(string pathEnd)
    {
        var spans = system.Traces.Spans;
        var request = spans.FirstOrDefault(s => s is { Service: "JiraExport.Api", Kind: ReceivedSpan.Server }
                                                && s.Name.StartsWith("POST ", StringComparison.Ordinal) && s.Name.TrimEnd('/').EndsWith(pathEnd, StringComparison.Ordinal));
        return request is null ? [] : [.. spans.Where(s => s.TraceId == request.TraceId)];
    }

    /// <summary>Walks up from <paramref name="span"/> to its nearest ancestor that is <paramref name="wanted"/>; null when none is.</summary>
    private static ReceivedSpan? NearestAncestor(ReceivedSpan span, Func<ReceivedSpan, bool> wanted, IReadOnlyList<ReceivedSpan> trace)
    {
        var parent = trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId);
        return parent is null || wanted(parent) ? parent : NearestAncestor(parent, wanted, trace);
    }
}
