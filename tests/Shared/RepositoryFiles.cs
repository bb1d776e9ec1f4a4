using System.Diagnostics;

namespace JiraExport.Tests.Shared;

/// <summary>Files of the checkout the tests run from: test data, and documents the repository commits.</summary>
public static class RepositoryFiles
{
    /// <summary><c>JX_REPOSITORY_ROOT</c> when eng/test.sh sets it, else the folder holding JiraExport.sln above the test output.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>
    /// A file as the last commit holds it (the build may have rewritten the working copy since); outside a git checkout,
    /// the file as it is.
    /// </summary>
    public static async Task<string> ReadCommittedAsync(string relativePath, CancellationToken cancellationToken)
    {
        if (Directory.Exists(Path.Combine(Root, ".git")))
        {
            var git = Process.Start(new ProcessStartInfo("git", ["-C", Root, "show", $"HEAD:{relativePath}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = git.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = await git.StandardError.ReadToEndAsync(cancellationToken);
            await git.WaitForExitAsync(cancellationToken);
            return git.ExitCode == 0
                ? await output
                : throw new FileNotFoundException($"{relativePath} is not in the last commit: {error.Trim()}", relativePath);
        }

        return await File.ReadAllTextAsync(PathOf(relativePath), cancellationToken);
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("JX_REPOSITORY_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JiraExport.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("JiraExport.sln not found above the test output folder; set JX_REPOSITORY_ROOT.");
    }
}
