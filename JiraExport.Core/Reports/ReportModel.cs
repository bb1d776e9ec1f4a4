namespace JiraExport.Core.Reports;

/// <summary>
/// Everything a report template can read, reached in Liquid as <c>report</c> (camelCase members): the request, the
/// tenant's branding, the issues with every synced field, and the sprint and release views built from them.
/// Only the types in this file are registered with the template engine, so a template reaches nothing else.
/// </summary>
public sealed record ReportModel(
    string Title,
    string Kind,
    string Jql,
    DateTimeOffset GeneratedAt,
    string? JiraBaseUrl,
    BrandingModel Branding,
    ReportOptionsModel Options,
    IReadOnlyList<ColumnModel> Columns,
    IReadOnlyList<IssueModel> Issues,
    IReadOnlyList<SprintModel> Sprints,
    IReadOnlyList<ReleaseModel> Releases,
    FlowModel? Flow = null)
{
    public int IssueCount => Issues.Count;
}

/// <summary>
/// The flow of the report's projects for a stakeholder pack, by the built-in flow definition over the last
/// <see cref="WindowDays"/> days: the figures, a forecast for the report's unfinished issues, the insights, and the charts
/// as self-contained SVG (every text in them escaped), which a template writes with <c>| raw</c>.
/// </summary>
public sealed record FlowModel(
    string DefinitionName,
    string TimeZone,
    DateOnly From,
    DateOnly To,
    int WindowDays,
    FlowFigureModel CycleTime,
    int Finished,
    int InProgress,
    ForecastModel? Forecast,
    IReadOnlyList<InsightModel> Insights,
    string CycleTimeScatterSvg,
    string ThroughputSvg,
    string AgingWipSvg);

/// <summary>A distribution of days (percentiles by nearest rank) and the rule it was counted by.</summary>
public sealed record FlowFigureModel(int Count, int? P50, int? P85, int? P95, string Rule);

/// <summary>When the report's <see cref="Items"/> unfinished issues will be done, with the seed that reproduces it.</summary>
public sealed record ForecastModel(int Items, long Seed, DateOnly P50, DateOnly P85, DateOnly P95, int Unfinished, string Rule);

public sealed record InsightModel(string Title, string Outcome, string Summary, string Rule);

/// <summary>A column of the issue list: the field's id in <c>issue.fields</c> and its heading.</summary>
public sealed record ColumnModel(string Id, string Label);

/// <summary>What the export asked of the document that a template may honour (a table of contents).</summary>
public sealed record ReportOptionsModel(bool Toc, bool Outline);

/// <summary>The tenant's look, applied by every built-in template; colours are <c>#rrggbb</c>, the logo a <c>data:</c> URL.</summary>
public sealed record BrandingModel(
    string? CompanyName,
    string? LogoDataUrl,
    string PrimaryColor,
    string AccentColor,
    string FontFamily,
    string? HeaderText,
    string? FooterText)
{
    public static BrandingModel Default { get; } = new(null, null, "#1e293b", "#2563eb", "DejaVu Sans", null, null);
}

/// <summary>One issue: the typed fields, every other field by display name, and its history and activity.</summary>
public sealed record IssueModel(
    string Key,
    string Id,
    string? Url,
    string Project,
    string Summary,
    string? IssueType,
    string Status,
    string? StatusCategory,
    string? Priority,
    string? Assignee,
    string? Reporter,
    string? Resolution,
    DateTimeOffset? Created,
    DateTimeOffset Updated,
    DateTimeOffset? Resolved,
    DateTimeOffset? DueDate,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> FixVersions,
    string? Parent,
    double? StoryPoints,
    string? DescriptionHtml,
    string? DescriptionText,
    IReadOnlyList<FieldModel> CustomFields,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<CommentModel> Comments,
    IReadOnlyList<WorklogModel> Worklogs,
    IReadOnlyList<TransitionModel> Transitions,
    IReadOnlyList<ChangeModel> Changelog,
    IReadOnlyList<string> SprintNames,
    IReadOnlyList<IssueLinkModel> Links)
{
    public int TimeSpentSeconds => Worklogs.Sum(w => w.TimeSpentSeconds);
}

/// <summary>A custom field with its display name and its value as text.</summary>
public sealed record FieldModel(string Id, string Name, string Value);

public sealed record CommentModel(string? Author, DateTimeOffset Created, string BodyHtml, string BodyText);

public sealed record WorklogModel(string? Author, DateTimeOffset Started, int TimeSpentSeconds, string TimeSpent, string? Comment);

public sealed record TransitionModel(string? From, string To, string? ToCategory, DateTimeOffset At, string? By);

public sealed record ChangeModel(string? Author, DateTimeOffset Created, IReadOnlyList<ChangeItemModel> Items);

public sealed record ChangeItemModel(string Field, string? From, string? To);

public sealed record IssueLinkModel(string Type, string Relation, string Key, string? Url);

/// <summary>A sprint as the sprint report shows it: what was committed at the start, added, removed and done (in the sprint or before it joined).</summary>
public sealed record SprintModel(
    string Name,
    string State,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    DateTimeOffset? CompleteDate,
    string? Goal,
    IReadOnlyList<IssueModel> Committed,
    IReadOnlyList<IssueModel> Added,
    IReadOnlyList<IssueModel> Removed,
    IReadOnlyList<IssueModel> Completed,
    IReadOnlyList<IssueModel> NotCompleted,
    IReadOnlyList<IssueModel> CompletedOutside,
    BurndownModel Burndown)
{
    public int CommittedCount => Committed.Count;
    public int CompletedCount => Completed.Count;
    public int ScopeChange => Added.Count - Removed.Count;
}

/// <summary>
/// The burndown chart as SVG coordinates (0..Width, 0..Height, y downwards): the remaining issues day by day and the
/// ideal line, so a template draws it with a <c>polyline</c> and no script.
/// </summary>
public sealed record BurndownModel(int Width, int Height, int MaxRemaining, string ActualPoints, string IdealPoints, IReadOnlyList<BurndownDayModel> Days);

public sealed record BurndownDayModel(DateTimeOffset Date, int Remaining, double X);

/// <summary>A fix version and its issues grouped by issue type, for release notes.</summary>
public sealed record ReleaseModel(string Name, bool Released, string? ReleaseDate, string? Description, IReadOnlyList<IssueGroupModel> Groups)
{
    public int IssueCount => Groups.Sum(g => g.Issues.Count);
}

public sealed record IssueGroupModel(string Name, IReadOnlyList<IssueModel> Issues);
