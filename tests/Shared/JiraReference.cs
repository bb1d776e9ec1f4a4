namespace JiraExport.Tests.Shared;

/// <summary>Jira's published specs and real payloads in <c>shared/reference/jira</c>, checked out next to the repository.</summary>
public static class JiraReference
{
    public static string File(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "reference", "jira", relativePath));
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The Jira reference file is not at {path}: shared/ must be checked out next to the repository.", path);
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
