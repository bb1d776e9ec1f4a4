namespace JiraExport.JiraSimulator.Seed;

/// <summary>A comment; ids ascend with time within the issue. <see cref="Updated"/> is later than <see cref="Created"/> when it was edited.</summary>
internal sealed record SeedComment(string Id, SeedUser Author, IReadOnlyList<string> Paragraphs, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>Logged work; <see cref="Comment"/> is null when the worklog has none.</summary>
internal sealed record SeedWorklog(string Id, SeedUser Author, string? Comment, DateTimeOffset Started, int TimeSpentSeconds, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>Attachment metadata only: the simulator serves no file content.</summary>
internal sealed record SeedAttachment(string Id, string FileName, string MimeType, long Size, SeedUser Author, DateTimeOffset Created);

internal sealed record SeedLinkType(string Id, string Name, string Inward, string Outward);

/// <summary>
/// One side of a link. <see cref="OtherIsOutward"/>: this issue relates to the other by the type's outward phrase
/// ("this blocks other"), so Jira renders the other as <c>outwardIssue</c>; the other issue holds the same link id
/// with the flag reversed.
/// </summary>
internal sealed record SeedIssueLink(string Id, SeedLinkType Type, string OtherIssueId, bool OtherIsOutward);
