using System.Globalization;
using System.Text.RegularExpressions;

namespace JiraExport.Benchmarks;

/// <summary>
/// Samples the memory of this process's descendants — Chromium's browser, utility, GPU and renderer processes —
/// found by walking the ppid chains in /proc/*/stat. Chromium starts a fresh renderer and print compositor for
/// renders and ends old ones, so adding up the peaks of every process ever seen would count processes that never
/// lived at the same time; instead each sample adds up the processes alive at that moment, and the highest such
/// sum is kept. Also kept, for comparison: the highest sum of current RSS, and of PSS (shared pages split between
/// the processes that map them) over the whole tree including this process.
/// </summary>
internal sealed partial class ProcessTreeMemory : IAsyncDisposable
{
    private const string BrowserRole = "browser";

    // Reading smaps_rollup walks the page tables (several ms for a 300 MB process) and would slow the renders it
    // measures, so PSS is read on every fifth sample only; VmHWM needs no frequent sampling anyway.
    private const int PssEvery = 5;

    private readonly int _rootPid = Environment.ProcessId;
    private readonly HashSet<int> _seen = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    private IReadOnlyList<DescendantPeak> _atPeak = [];
    private long _peakHwmSum;
    private long _peakRssSum;
    private long _peakTreePssSum;
    private int _samples;

    public ProcessTreeMemory(TimeSpan interval)
    {
        _sampler = SampleUntilStoppedAsync(interval, _stop.Token);
    }

    /// <summary>Takes one sample now (call it before the processes are shut down).</summary>
    public void Sample()
    {
        var live = new List<DescendantPeak>();
        long rssSum = 0;
        var readPss = Interlocked.Increment(ref _samples) % PssEvery == 1;
        var treePssSum = readPss ? ReadPssBytes(_rootPid) ?? 0 : 0;
        var roles = new Dictionary<int, string>();
        foreach (var (pid, parent) in Descendants(_rootPid))
        {
            if (ReadStatus(pid) is not { } status)
            {
                continue; // Exited between the scan and the read, or a zombie.
            }

            // Read every time, not cached: a forked child changes its command line when it execs.
            var role = roles[pid] = ReadRole(pid, status.Name);
            if (role == BrowserRole && roles.GetValueOrDefault(parent) == BrowserRole)
            {
                // Forked by the browser but not yet exec'd: until then it reports the browser's own RSS as its peak.
                continue;
            }

            live.Add(new DescendantPeak(pid, role, status.HwmBytes));
            rssSum += status.RssBytes;
            treePssSum += readPss ? ReadPssBytes(pid) ?? 0 : 0;
        }

        var hwmSum = live.Sum(p => p.HwmBytes);
        lock (_lock)
        {
            _seen.UnionWith(live.Select(p => p.Pid));
            if (hwmSum > _peakHwmSum)
            {
                _peakHwmSum = hwmSum;
                _atPeak = live;
            }

            _peakRssSum = Math.Max(_peakRssSum, rssSum);
            _peakTreePssSum = Math.Max(_peakTreePssSum, treePssSum);
        }
    }

    public ChromiumMemory Result()
    {
        lock (_lock)
        {
            return new ChromiumMemory(_peakHwmSum, [.. _atPeak.OrderByDescending(p => p.HwmBytes)], _peakRssSum, _peakTreePssSum, _seen.Count);
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

    /// <summary>Every descendant with its parent, parents before children.</summary>
    private static List<(int Pid, int Parent)> Descendants(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadParentPid(pid) is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(pid);
            }
        }

        var found = new List<(int Pid, int Parent)>();
        var pending = new Queue<int>();
        pending.Enqueue(rootPid);
        while (pending.TryDequeue(out var current))
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                found.Add((child, current));
                pending.Enqueue(child);
            }
        }

        return found;
    }

    private static int? ReadParentPid(int pid)
    {
        // "pid (comm) state ppid …"; comm may contain spaces and parentheses, so read after the last ')'.
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
            ? ppid
            : null;
    }

    /// <summary>Chromium's <c>--type</c> (and utility sub-type) of the process; "browser" for the main one.</summary>
    private static string ReadRole(int pid, string name)
    {
        // Chromium rewrites its argv, so the switches may all sit in one NUL-separated chunk; search the whole text.
        var commandLine = TryRead($"/proc/{pid}/cmdline")?.Replace('\0', ' ') ?? "";
        var type = TypeSwitch().Match(commandLine);
        if (!type.Success)
        {
            return name.StartsWith("chrom", StringComparison.Ordinal) ? BrowserRole : name;
        }

        var subType = SubTypeSwitch().Match(commandLine);
        return subType.Success ? $"{type.Groups[1].Value} ({subType.Groups[1].Value.Split('.')[^1]})" : type.Groups[1].Value;
    }

    private static (string Name, long HwmBytes, long RssBytes)? ReadStatus(int pid)
    {
        var status = TryRead($"/proc/{pid}/status");
        if (status is null)
        {
            return null;
        }

        string? name = null;
        long? hwm = null;
        long rss = 0;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("Name:", StringComparison.Ordinal))
            {
                name = line["Name:".Length..].Trim();
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = KilobytesField(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KilobytesField(line);
            }
        }

        // Kernel threads and zombies have no VmHWM line.
        return hwm is { } h ? (name ?? "?", h, rss) : null;
    }

    private static long? ReadPssBytes(int pid)
    {
        var rollup = TryRead($"/proc/{pid}/smaps_rollup");
        var line = rollup?.Split('\n').FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
        return line is null ? null : KilobytesField(line);
    }

    /// <summary>"VmHWM:    123456 kB" → bytes.</summary>
    private static long KilobytesField(string line)
    {
        var value = line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0];
        return long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // The process exited while we looked.
        }
    }

    [GeneratedRegex(@"--type=(\S+)")]
    private static partial Regex TypeSwitch();

    [GeneratedRegex(@"--utility-sub-type=(\S+)")]
    private static partial Regex SubTypeSwitch();
}

/// <summary>One Chromium process alive at the moment its tree's summed peak RSS was highest.</summary>
internal sealed record DescendantPeak(int Pid, string Role, long HwmBytes);

/// <param name="PeakHwmSumBytes">Highest sum, over the samples, of VmHWM across the descendants alive at that sample.</param>
/// <param name="ProcessesAtPeak">The descendants alive in that sample.</param>
/// <param name="PeakRssSumBytes">Highest sum of current VmRSS across live descendants.</param>
/// <param name="PeakTreePssBytes">Highest sum of PSS across this process and its live descendants.</param>
/// <param name="ProcessesSeen">How many descendant processes were seen over the whole run.</param>
internal sealed record ChromiumMemory(
    long PeakHwmSumBytes,
    IReadOnlyList<DescendantPeak> ProcessesAtPeak,
    long PeakRssSumBytes,
    long PeakTreePssBytes,
    int ProcessesSeen);
