using System.Globalization;

namespace JiraExport.Benchmarks.Load;

/// <summary>A process's resident memory and open files (sockets included) at one moment.</summary>
internal sealed record ProcessUse(string Name, double Megabytes, int OpenFiles)
{
    public static IReadOnlyList<ProcessUse> Take(IReadOnlyDictionary<string, int> processes) =>
        [.. processes.Select(p => new ProcessUse(p.Key, SoakBenchmark.ResidentMegabytes(p.Value) ?? 0, OpenSockets.OpenFiles(p.Value) ?? 0))];

    public static void Write(TextWriter output, string when, IReadOnlyList<ProcessUse> processes)
    {
        output.WriteLine($"  {"process",-12} {"memory",9} {"open files",11}   ({when})");
        foreach (var process in processes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {process.Name,-12} {process.Megabytes,6:0} MB {process.OpenFiles,11:N0}"));
        }
    }
}
