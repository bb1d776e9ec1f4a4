using System.Diagnostics;

namespace JiraExport.EndToEndTests;

/// <summary>The repository the tests run in, and its commands run as a person would run them.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Runs <paramref name="file"/> in the repository's root; answers its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JiraExport.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("JiraExport.sln not found above the test output folder.");
    }
}
