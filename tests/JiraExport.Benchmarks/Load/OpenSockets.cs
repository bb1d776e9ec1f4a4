using System.Globalization;

namespace JiraExport.Benchmarks.Load;

/// <summary>What the kernel says is open: established TCP connections to the gateways.</summary>
internal static class OpenSockets
{
    /// <summary>Established connections whose local end is one of <paramref name="ports"/> (the servers' side of them).</summary>
    public static int EstablishedTo(IEnumerable<int> ports)
    {
        var hex = ports.Select(p => p.ToString("X4", CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(File.ReadLines).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields.Length > 3 && fields[3] == "01" && hex.Contains(fields[1][(fields[1].LastIndexOf(':') + 1)..]));
    }
}
