using System.Globalization;

namespace JiraExport.Benchmarks;

/// <summary>
/// Tracks the peak resident memory (VmHWM) of every descendant of this process — the Chromium browser, its
/// zygotes, GPU/utility and renderer processes — by walking the ppid chains in /proc/*/stat. VmHWM is a
/// per-process high-water mark, so sampling now and then is enough for live processes; sampling often
/// also catches processes that exit before the end.
/// </summary>
internal sealed class ProcessTreeMemory : IAsyncDisposable
{
    private readonly int _rootPid = Environment.ProcessId;
    private readonly Dictionary<int, DescendantPeak> _peaks = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public ProcessTreeMemory(TimeSpan interval)
    {
        _sampler = SampleUntilStoppedAsync(interval, _stop.Token);
    }

    /// <summary>Takes one sample now (call it before the processes are shut down).</summary>
    public void Sample()
    {
        foreach (var pid in Descendants(_rootPid))
        {
            var status = ReadStatus(pid);
            if (status is null)
            {
                continue; // Exited between the scan and the read.
            }

            lock (_lock)
            {
                if (!_peaks.TryGetValue(pid, out var known) || status.Value.HwmBytes > known.HwmBytes)
                {
                    _peaks[pid] = new DescendantPeak(pid, known?.Role ?? ReadRole(pid, status.Value.Name), status.Value.HwmBytes);
                }
            }
        }
    }

    /// <summary>Peak RSS of every descendant seen so far, largest first.</summary>
    public IReadOnlyList<DescendantPeak> Peaks()
    {
        lock (_lock)
        {
            return [.. _peaks.Values.OrderByDescending(p => p.HwmBytes)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampler;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
    }

    private async Task SampleUntilStoppedAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Sample();
        }
    }

    private static List<int> Descendants(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var parent = ReadParentPid(pid);
            if (parent is { } ppid)
            {
                if (!children.TryGetValue(ppid, out var list))
                {
                    children[ppid] = list = [];
                }

                list.Add(pid);
            }
        }

        var found = new List<int>();
        var pending = new Stack<int>();
        pending.Push(rootPid);
        while (pending.TryPop(out var current))
        {
            if (!children.TryGetValue(current, out var list))
            {
                continue;
            }

            foreach (var child in list)
            {
                found.Add(child);
                pending.Push(child);
            }
        }

        return found;
    }

    private static int? ReadParentPid(int pid)
    {
        try
        {
            // "pid (comm) state ppid …"; comm may contain spaces and parentheses, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.AsSpan(stat.LastIndexOf(')') + 1).Trim();
            var fields = afterName.ToString().Split(' ', 3);
            return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
                ? ppid
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // The process exited while we looked.
        }
    }

    /// <summary>Chromium's own name for the process (its <c>--type=</c> switch), "browser" for the main one.</summary>
    private static string ReadRole(int pid, string name)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var type = arguments.FirstOrDefault(a => a.StartsWith("--type=", StringComparison.Ordinal));
            if (type is not null)
            {
                return type["--type=".Length..];
            }

            return name.StartsWith("chrom", StringComparison.Ordinal) ? "browser" : name;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return name;
        }
    }

    private static (string Name, long HwmBytes)? ReadStatus(int pid)
    {
        try
        {
            string? name = null;
            long? hwmKb = null;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Name:", StringComparison.Ordinal))
                {
                    name = line["Name:".Length..].Trim();
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    // "VmHWM:    123456 kB"
                    var value = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    hwmKb = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }

            // Kernel threads and zombies have no VmHWM line.
            return hwmKb is { } kb ? (name ?? "?", kb * 1024) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The highest resident set one descendant process reached.</summary>
internal sealed record DescendantPeak(int Pid, string Role, long HwmBytes);
