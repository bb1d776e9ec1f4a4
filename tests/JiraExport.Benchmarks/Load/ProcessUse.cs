using System.Globalization;

namespace JiraExport.Benchmarks.Load;

/// <summary>A process's resident memory and open files (sockets included) at one moment.</summary>
internal sealed record ProcessUse(string Name, double Megabytes, int OpenFiles)
{
    public static IReadOnlyList<ProcessUse> Take(IReadOnlyList<DeploymentProcess> processes) =>
        [.. processes.Select(p => new ProcessUse(p.Name, p.ResidentMegabytes() ?? 0, p.OpenFiles() ?? 0))];

    public static void Write(TextWriter output, string when, IReadOnlyList<ProcessUse> processes)
    {
        output.WriteLine($"  {"process",-12} {"memory",9} {"open files",11}   ({when})");
        foreach (var process in processes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {process.Name,-12} {process.Megabytes,6:0} MB {process.OpenFiles,11:N0}"));
        }
    }
}
