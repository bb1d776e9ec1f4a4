using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Jql;

/// <summary>Orders issue keys as Jira does: by project key, then by number (ALPHA-2 before ALPHA-10).</summary>
internal sealed class IssueKeyComparer : IComparer<SeedIssue>
{
    public static readonly IssueKeyComparer Instance = new();

    public int Compare(SeedIssue? x, SeedIssue? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var byProject = string.CompareOrdinal(x.Project.Key, y.Project.Key);
        return byProject != 0 ? byProject : x.Number.CompareTo(y.Number);
    }
}
