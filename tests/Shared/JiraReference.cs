namespace JiraExport.Tests.Shared;

/// <summary>
/// Jira's published specs and real payloads the tests read, copied from the team's <c>shared/reference/jira</c> into
/// <c>tests/Shared/reference/jira</c>, so a clone of the repository alone has them.
/// </summary>
public static class JiraReference
{
    public static string File(string relativePath)
    {
        var path = RepositoryFiles.PathOf(Path.Combine("tests", "Shared", "reference", "jira", relativePath));
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The Jira reference file is not at {path}: copy it from shared/reference/jira (see the README there).", path);
    }
}
