using System.Globalization;

namespace JiraExport.Benchmarks;

/// <summary>
/// A process of the loopback deployment under measurement (eng/loopback-deployment.sh): what the kernel says of it by
/// its PID, and what its .NET runtime says through its Prometheus scrape port.
/// </summary>
internal sealed record DeploymentProcess(string Name, int Pid, int? MetricsPort)
{
    /// <summary>Arguments of the form <c>NAME=PID</c> or <c>NAME=PID:METRICSPORT</c>.</summary>
    public static IReadOnlyList<DeploymentProcess> Parse(IEnumerable<string> arguments) =>
    [
        .. arguments.Select(argument =>
        {
            var (name, rest) = (argument[..argument.IndexOf('=')], argument[(argument.IndexOf('=') + 1)..]);
            var numbers = rest.Split(':').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            return new DeploymentProcess(name, numbers[0], numbers.Length > 1 ? numbers[1] : null);
        }),
    ];

    /// <summary>VmRSS in MB; null once the process has gone.</summary>
    public double? ResidentMegabytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The files (sockets included) the process holds open; null once it has gone.</summary>
    public int? OpenFiles()
    {
        try
        {
            return Directory.GetFiles($"/proc/{Pid}/fd").Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The managed heap after the last garbage collection, in MB (every generation of
    /// <c>dotnet_gc_last_collection_heap_size_bytes</c>); null without a scrape port or when it does not answer. What is
    /// left of the resident memory is the runtime's own: machine code, type data, stacks and mapped assemblies.
    /// </summary>
    public async Task<double?> ManagedHeapMegabytesAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (MetricsPort is not { } port)
        {
            return null;
        }

        try
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken);
            var generations = text.Split('\n')
                .Where(line => line.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal))
                .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
                .ToList();
            return generations.Count == 0 ? null : generations.Sum() / (1024 * 1024);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
