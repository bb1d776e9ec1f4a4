using System.Globalization;

namespace JiraExport.Benchmarks.Load;

/// <summary>What the kernel says is open: established TCP connections to the gateways, and each process's open files.</summary>
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

    /// <summary>The files (sockets included) a process holds open; null once it has gone.</summary>
    public static int? OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
