using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace JiraExport.Benchmarks.Load;

/// <summary>How long each step took, and how often it failed, over many clients; written as percentiles.</summary>
internal sealed class StepTimings
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _milliseconds = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentQueue<string> _firstFailures = new();
    private readonly List<string> _steps = [];

    public int Failures => _failures.Values.Sum();

    /// <summary>Runs <paramref name="step"/> and records its time; a failure is counted (its first few kept) and thrown on.</summary>
    public async Task<T> TimeAsync<T>(string name, Func<Task<T>> step)
    {
        lock (_steps)
        {
            if (!_steps.Contains(name))
            {
                _steps.Add(name);
            }
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await step();
            _milliseconds.GetOrAdd(name, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (Exception ex)
        {
            _failures.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (_firstFailures.Count < 5)
            {
                _firstFailures.Enqueue($"{name}: {ex.GetType().Name}: {ex.Message}");
            }

            throw;
        }
    }

    public Task TimeAsync(string name, Func<Task> step) => TimeAsync(name, async () =>
    {
        await step();
        return true;
    });

    public void Write(TextWriter output)
    {
        output.WriteLine($"  {"step",-34} {"count",7} {"failed",7} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var step in _steps)
        {
            var sorted = _milliseconds.GetValueOrDefault(step)?.Order().ToArray() ?? [];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {step,-34} {sorted.Length,7:N0} {_failures.GetValueOrDefault(step),7:N0} {Percentile(sorted, 50),8:0} {Percentile(sorted, 95),8:0} {Percentile(sorted, 99),8:0} {(sorted.Length > 0 ? sorted[^1] : 0),8:0}"));
        }

        foreach (var failure in _firstFailures)
        {
            output.WriteLine($"    first failures: {failure}");
        }
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
