using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace JiraExport.Benchmarks;

/// <summary>
/// "soak": steady traffic through the gateway for a while (people listing exports and issues, an export requested,
/// watched over SignalR and downloaded every few seconds), sampling every process's resident memory. The warm-up (a
/// fifth of the run, at least two minutes) sends four times that traffic: the GC sizes its budgets per collection, not
/// per minute, and a server GC would otherwise still be growing them ten minutes in. After it memory must be flat: the
/// straight line fitted through each process's samples may rise by at most 5 % of its size, or 16 MB, over the rest of
/// the run. Each process's managed heap after its last collection is read from its scrape port beside it, to tell a
/// leak of objects from the runtime's own growth.
/// </summary>
internal static class SoakBenchmark
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(15);
    private const int WarmUpFactor = 4;

    public static async Task<int> RunAsync(
        Uri gateway, string apiKey, Guid connectionId, TimeSpan duration, IReadOnlyList<DeploymentProcess> processes, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var completions = 0;
        await using var browser = new HubConnectionBuilder()
            .WithUrl(new Uri(gateway, "/hubs/exports"), options => options.Headers["X-Api-Key"] = apiKey)
            .WithAutomaticReconnect()
            .Build();
        browser.On<JsonElement>("exportCompleted", _ => Interlocked.Increment(ref completions));
        await browser.StartAsync(cancellationToken);
        await browser.InvokeAsync<long>("SubscribeToTenant", cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var warmUp = TimeSpan.FromMinutes(Math.Max(duration.TotalMinutes / 5, Math.Min(2, duration.TotalMinutes / 2)));
        using var warmingUp = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        warmingUp.CancelAfter(warmUp);
        // The steady traffic's lanes run to the end; the warm-up adds three times as many, which stop after it.
        CancellationToken Lane(int lane, int steadyLanes) => lane < steadyLanes ? stop.Token : warmingUp.Token;
        var counts = new ConcurrentDictionary<string, int>();
        var samples = processes.ToDictionary(p => p.Name, _ => new List<MemorySample>());
        var started = Stopwatch.GetTimestamp();

        // About 15 requests a second in all (four times that in the warm-up), as a busy team makes them.
        var readers = Enumerable.Range(0, 4 * WarmUpFactor).Select(i => RepeatAsync(TimeSpan.FromMilliseconds(500), async ct =>
        {
            var path = (i % 3) switch
            {
                0 => "/api/v1/exports?limit=20",
                1 => $"/api/v1/issues?connectionId={connectionId}&limit=50",
                _ => $"/api/v1/analytics/flow/wip?connectionId={connectionId}",
            };
            using var response = await http.GetAsync(path, ct);
            counts.AddOrUpdate(response.IsSuccessStatusCode ? "reads ok" : $"reads {(int)response.StatusCode}", 1, (_, n) => n + 1);
        }, Lane(i, 4)));
        var exporters = Enumerable.Range(0, WarmUpFactor).Select(i => RepeatAsync(TimeSpan.FromSeconds(3), async ct =>
        {
            using var requested = await http.PostAsJsonAsync("/api/v1/exports",
                new { connectionId, jql = "project = GAMMA ORDER BY key", format = "csv" }, ct);
            if (!requested.IsSuccessStatusCode)
            {
                counts.AddOrUpdate($"exports refused {(int)requested.StatusCode}", 1, (_, n) => n + 1);
                return;
            }

            var id = (await requested.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            string? status = null;
            for (var attempt = 0; attempt < 60 && status is not ("succeeded" or "failed"); attempt++)
            {
                await Task.Delay(500, ct);
                status = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{id}", ct)).GetProperty("status").GetString();
            }

            var file = status == "succeeded" ? await http.GetByteArrayAsync($"/api/v1/exports/{id}/file", ct) : [];
            counts.AddOrUpdate(file.Length > 0 ? "exports downloaded" : $"exports {status ?? "unfinished"}", 1, (_, n) => n + 1);
        }, Lane(i, 1)));
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var sampler = RepeatAsync(SampleEvery, async ct =>
        {
            var minute = Stopwatch.GetElapsedTime(started).TotalMinutes;
            foreach (var process in processes)
            {
                if (process.ResidentMegabytes() is { } resident)
                {
                    samples[process.Name].Add(new MemorySample(minute, resident, await process.ManagedHeapMegabytesAsync(scraper, ct)));
                }
            }
        }, stop.Token);
        await Task.WhenAll([.. readers, .. exporters, sampler]);

        Console.WriteLine($"Soak: {duration.TotalMinutes:0.#} min through {gateway}, warm-up {warmUp.TotalMinutes:0.#} min at {WarmUpFactor} times the traffic, a sample every {SampleEvery.TotalSeconds:0} s");
        foreach (var (what, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {what}: {count:N0}");
        }

        Console.WriteLine($"  export completions heard over SignalR: {completions:N0}");
        Console.WriteLine();
        Console.WriteLine($"{"process",-12} {"after warm-up",14} {"end",8} {"max",8} {"slope MB/min",13} {"rise",8} {"allowed",8}  verdict  {"managed heap after GC",22}");
        var flat = true;
        foreach (var (name, all) in samples)
        {
            var steady = all.Where(s => s.Minute >= warmUp.TotalMinutes).ToList();
            if (steady.Count < 3)
            {
                Console.WriteLine($"{name,-12} too few samples after the warm-up ({steady.Count}); run longer");
                flat = false;
                continue;
            }

            var slope = Slope([.. steady.Select(s => (s.Minute, s.ResidentMegabytes))]);
            var rise = slope * (steady[^1].Minute - steady[0].Minute);
            var allowed = Math.Max(16, 0.05 * steady.Average(s => s.ResidentMegabytes));
            var ok = rise <= allowed;
            flat &= ok;
            // The managed heap beside it says whose memory grew: the application's objects, or the runtime's own.
            var heap = steady.Where(s => s.ManagedHeapMegabytes is not null).ToList() is { Count: >= 3 } withHeap
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{withHeap[0].ManagedHeapMegabytes,5:0} → {withHeap[^1].ManagedHeapMegabytes,3:0} MB, {Slope([.. withHeap.Select(s => (s.Minute, s.ManagedHeapMegabytes!.Value))]),5:0.00}/min")
                : "not scraped";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-12} {steady[0].ResidentMegabytes,11:0} MB {steady[^1].ResidentMegabytes,5:0} MB {steady.Max(s => s.ResidentMegabytes),5:0} MB {slope,13:0.00} {rise,5:0} MB {allowed,5:0} MB  {(ok ? "flat " : "GROWS")}  {heap}"));
        }

        var failed = counts.Where(c => !c.Key.EndsWith(" ok", StringComparison.Ordinal) && c.Key != "exports downloaded").Sum(c => c.Value);
        Console.WriteLine();
        Console.WriteLine($"Target: every process flat after the warm-up, and no failed request ({failed} failed)");
        return flat && failed == 0 ? 0 : 1;
    }

    /// <summary>Runs <paramref name="step"/> every <paramref name="interval"/> until stopped; a step that throws is counted, not fatal.</summary>
    private static async Task RepeatAsync(TimeSpan interval, Func<CancellationToken, Task> step, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    await step(stop);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"soak: {ex.GetType().Name}: {ex.Message}");
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The least-squares slope of megabytes over minutes.</summary>
    private static double Slope(IReadOnlyList<(double Minute, double Megabytes)> points)
    {
        var (meanX, meanY) = (points.Average(p => p.Minute), points.Average(p => p.Megabytes));
        var covariance = points.Sum(p => (p.Minute - meanX) * (p.Megabytes - meanY));
        var variance = points.Sum(p => (p.Minute - meanX) * (p.Minute - meanX));
        return variance == 0 ? 0 : covariance / variance;
    }

    /// <summary>One process's memory at one moment: resident (the verdict's), and its managed heap when scraped.</summary>
    private sealed record MemorySample(double Minute, double ResidentMegabytes, double? ManagedHeapMegabytes);
}
