namespace JiraExport.Core.Reports;

/// <summary>What a template reports on, which decides how much the Worker reads for it.</summary>
public static class ReportKinds
{
    public const string IssueList = "issue-list";
    public const string IssueDetail = "issue-detail";
    public const string SprintReport = "sprint-report";
    public const string ReleaseNotes = "release-notes";

    /// <summary>For the people who ask "when will it be done": flow figures, a forecast, insights, charts, sprints.</summary>
    public const string StakeholderPack = "stakeholder-pack";

    public static IReadOnlyList<string> All { get; } = [IssueList, IssueDetail, SprintReport, ReleaseNotes, StakeholderPack];

    /// <summary>Whether the kind needs comments, worklogs, changelogs and links, not just the fields.</summary>
    public static bool NeedsActivity(string kind) => kind is IssueDetail or SprintReport or StakeholderPack;

    /// <summary>Whether the kind shows the sprints of its issues.</summary>
    public static bool NeedsSprints(string kind) => kind is SprintReport or StakeholderPack;
}
