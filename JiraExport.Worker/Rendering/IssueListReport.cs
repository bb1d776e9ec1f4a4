namespace JiraExport.Worker.Rendering;

/// <summary>The data shown in the built-in "issue-list" PDF report.</summary>
public sealed record IssueListReport(
    string Title,
    string Jql,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<ReportIssue> Issues);

/// <summary>One row of the issue-list report.</summary>
public sealed record ReportIssue(
    string Key,
    string Summary,
    string Status,
    string? Assignee,
    string? Priority,
    DateTimeOffset Updated);
