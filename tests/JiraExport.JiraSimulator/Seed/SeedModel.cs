namespace JiraExport.JiraSimulator.Seed;

internal sealed record SeedProject(string Id, string Key, string Name, int IssueCount);

internal sealed record SeedStatusCategory(int Id, string Key, string ColorName, string Name);

internal sealed record SeedStatus(string Id, string Name, string Description, SeedStatusCategory Category);

/// <summary>A priority; <see cref="StatusColor"/> is the hex colour Jira shows it in.</summary>
internal sealed record SeedPriority(string Id, string Name, string Description, string StatusColor);

internal sealed record SeedIssueType(string Id, string Name, string Description);

/// <summary>A person; <see cref="Name"/> and <see cref="UserKey"/> are the Data Center identifiers, <see cref="AccountId"/> Cloud's.</summary>
internal sealed record SeedUser(string AccountId, string Name, string UserKey, string DisplayName, string EmailAddress, bool Active, string TimeZone);

/// <summary>An issue as the first pass makes it; the agile and activity data live in <c>SeedIssueDetails.cs</c>.</summary>
internal sealed partial record SeedIssue(
    string Id,
    string Key,
    int Number,
    SeedProject Project,
    SeedIssueType IssueType,
    string Summary,
    IReadOnlyList<string> DescriptionParagraphs,
    SeedStatus Status,
    SeedPriority Priority,
    SeedUser? Assignee,
    SeedUser Reporter,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    IReadOnlyList<string> Labels,
    double? StoryPoints,
    IReadOnlyList<SeedHistory> Histories);

/// <summary>One changelog entry: who changed what, when. Oldest first in <see cref="SeedIssue.Histories"/>.</summary>
internal sealed record SeedHistory(string Id, SeedUser Author, DateTimeOffset Created, IReadOnlyList<SeedChange> Items);

/// <summary>A changed field: Jira's <c>ChangeDetails</c> (<c>from</c>/<c>to</c> hold ids, the strings display names).</summary>
internal sealed record SeedChange(string Field, string? FieldId, string FieldType, string? From, string? FromText, string? To, string? ToText);
