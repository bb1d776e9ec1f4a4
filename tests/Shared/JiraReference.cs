namespace JiraExport.Tests.Shared;

/// <summary>
/// Jira's published specs and real payloads the tests read, copied from the team's <c>shared/reference/jira</c> into
/// <c>tests/Shared/reference/jira</c>, so a clone of the repository alone has them.
/// </summary>
public static class JiraReference
{
    public static string File(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "tests", "Shared", "reference", "jira", relativePath));
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The Jira reference file is not at {path}: copy it from shared/reference/jira (see the README there).", path);
    }

    /// <summary><c>JX_REPOSITORY_ROOT</c> when eng/test.sh sets it, else the folder holding JiraExport.sln above the test output.</summary>
    private static string RepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("JX_REPOSITORY_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "JiraExport.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("JiraExport.sln not found above the test output folder; set JX_REPOSITORY_ROOT.");
    }
}
