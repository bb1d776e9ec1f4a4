using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace JiraExport.Benchmarks;

/// <summary>
/// "live": the time from an issue's change in Jira (the simulator answers the edit) to a browser watching its project
/// hearing <c>issueChanged</c>, through the whole path: the simulator's signed webhook, the Api's intake, the outbox,
/// RabbitMQ, the Worker reading the issue back from Jira and storing it, the event, Realtime and SignalR.
/// </summary>
internal static class LivePushBenchmark
{
    public static async Task<int> RunAsync(Uri realtime, Uri jira, string apiKey, Guid connectionId, string project, int edits, CancellationToken cancellationToken)
    {
        var heard = new ConcurrentDictionary<string, long>();
        await using var browser = new HubConnectionBuilder()
            .WithUrl(new Uri(realtime, "/hubs/exports"), options => options.Headers["X-Api-Key"] = apiKey)
            .Build();
        browser.On<JsonElement>("issueChanged", notification =>
            heard.TryAdd(notification.GetProperty("summary").GetString() ?? "", Stopwatch.GetTimestamp()));
        await browser.StartAsync(cancellationToken);
        await browser.InvokeAsync("SubscribeToProject", connectionId, project, cancellationToken);

        using var http = new HttpClient { BaseAddress = jira };
        // The simulator's demo credentials, as the benchmark's connection uses them.
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String("demo@example.com:sim-api-token"u8));
        var keys = (await http.GetFromJsonAsync<JsonElement>($"/rest/api/3/search/jql?jql=project%3D{project}&fields=key&maxResults=50", cancellationToken))
            .GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("key").GetString()!).ToList();
        var sent = new List<(string Summary, long At)>();
        for (var i = 0; i < edits; i++)
        {
            // Ten edits a second, each to another issue, as a busy team makes them.
            var summary = $"Live edit {i}";
            var at = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync($"/_simulator/issues/{keys[i % keys.Count]}/edit", new { summary }, cancellationToken);
            response.EnsureSuccessStatusCode();
            sent.Add((summary, at));
            await Task.Delay(100, cancellationToken);
        }

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (heard.Count < edits && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }

        var latencies = sent.Where(s => heard.ContainsKey(s.Summary))
            .Select(s => Stopwatch.GetElapsedTime(s.At, heard[s.Summary]).TotalMilliseconds).Order().ToList();
        Console.WriteLine($"Jira change → SignalR push: {latencies.Count} of {edits} edits heard");
        if (latencies.Count > 0)
        {
            Console.WriteLine($"  p50 {Percentile(latencies, 50):0} ms, p95 {Percentile(latencies, 95):0} ms, p99 {Percentile(latencies, 99):0} ms, max {latencies[^1]:0} ms");
        }

        Console.WriteLine("Target: p99 ≤ 1,000 ms");
        return latencies.Count == edits ? 0 : 1;
    }

    private static double Percentile(List<double> sorted, int percent) => sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * percent / 100.0) - 1, 0, sorted.Count - 1)];
}
