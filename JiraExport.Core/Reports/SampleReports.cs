using JiraExport.Core.Analytics;

namespace JiraExport.Core.Reports;

/// <summary>
/// A small, complete report of every kind: what a template is checked against on save (every variable it reads must
/// exist here) and what a preview shows when no JQL is given.
/// </summary>
public static class SampleReports
{
    private const long SampleSprintId = 7;
    private static readonly DateTimeOffset SprintStart = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<ColumnModel> DefaultColumns { get; } =
    [
        new("key", "Key"), new("summary", "Summary"), new("status", "Status"), new("assignee", "Assignee"),
        new("priority", "Priority"), new("updated", "Updated"),
    ];

    public static ReportModel For(string kind, BrandingModel branding, ReportOptionsModel options, string? title = null)
    {
        var issues = new List<IssueModel>
        {
            Issue("DEMO-1", "Sign-in page shows the company logo", "Story", "Done", "done", "Ada Lovelace", 3, ["ui"], ["1.4.0"], sprintIn: SprintStart.AddHours(-2), doneDay: 3),
            Issue("DEMO-2", "Export fails for Cyrillic titles: «Отчёт»", "Bug", "In Progress", "indeterminate", "Grace Hopper", 5, ["export", "i18n"], ["1.4.0"], sprintIn: SprintStart.AddDays(2), doneDay: null),
            Issue("DEMO-3", "Nightly sync skips archived projects", "Task", "Done", "done", null, 2, [], ["1.3.1"], sprintIn: SprintStart.AddHours(-1), doneDay: 6),
        };
        var sprints = ReportKinds.NeedsSprints(kind)
            ? [SprintReportBuilder.Build(
                new SprintFacts(SampleSprintId, 1, "DEMO Sprint 7", "closed", SprintStart, SprintStart.AddDays(14), SprintStart.AddDays(14), "Ship the login redesign"),
                issues.Select(i => (i, (IReadOnlySet<long>)new HashSet<long> { SampleSprintId })).ToList(), new HashSet<string>(["Done"]), WorkCalendar.Default,
                SprintStart.AddDays(20))]
            : Array.Empty<SprintModel>();
        var releases = kind == ReportKinds.ReleaseNotes
            ? ReleaseNotesBuilder.Build(issues, new Dictionary<string, VersionFacts>
            {
                ["1.4.0"] = new("1.4.0", false, null, "Branding and internationalisation"),
                ["1.3.1"] = new("1.3.1", true, "2026-02-20", "Maintenance release"),
            })
            : [];
        return new ReportModel(title ?? "Sample report", kind, "project = DEMO ORDER BY key", SprintStart.AddDays(20), "https://example.atlassian.net",
            branding, options, DefaultColumns, issues, sprints, releases, kind == ReportKinds.StakeholderPack ? SampleFlow() : null);
    }

    /// <summary>Made-up flow figures and charts of the right shape, for previews and template checks.</summary>
    private static FlowModel SampleFlow()
    {
        var from = DateOnly.FromDateTime(SprintStart.UtcDateTime).AddDays(-69);
        string Chart(string kind, string title, string seriesKind) => SvgChart.Render(new FlowChart(kind, title, "Sample data.", "items",
            [new ChartSeries("Sample", seriesKind, [.. Enumerable.Range(0, 10).Select(i => new ChartPoint(from.AddDays(i * 7), null, 2 + (i % 3)))])], []));
        return new FlowModel(FlowDefinitions.BuiltInName, "UTC", from, from.AddDays(89), 90,
            new FlowFigureModel(34, 4, 9, 14, "Finished items in the window: days from the start crossing to the end crossing."), 34, 7,
            new ForecastModel(12, 20261206, from.AddDays(110), from.AddDays(118), from.AddDays(124), 0, FlowForecast.Rule),
            [new InsightModel("Items older than the 85th percentile of cycle time", InsightOutcomes.Signal, "1 item(s) in progress are older than 9 days (P85 of cycle time).", "Sample rule.")],
            Chart(FlowChartKinds.CycleTimeScatter, "Cycle time", "points"), Chart(FlowChartKinds.ThroughputRun, "Throughput", "bars"),
            Chart(FlowChartKinds.AgingWip, "Aging work in progress", "points"));
    }

    private static IssueModel Issue(
        string key, string summary, string type, string status, string category, string? assignee, double points,
        List<string> labels, List<string> fixVersions, DateTimeOffset sprintIn, int? doneDay)
    {
        var created = SprintStart.AddDays(-5);
        var done = doneDay is { } day ? SprintStart.AddDays(day) : (DateTimeOffset?)null;
        var updated = done ?? SprintStart.AddDays(9);
        var transitions = new List<TransitionModel> { new("To Do", "In Progress", "indeterminate", SprintStart.AddDays(1), assignee) };
        if (done is { } at)
        {
            transitions.Add(new TransitionModel("In Progress", "Done", "done", at, assignee));
        }

        var changelog = new List<ChangeModel>
        {
            new("Rita Reporter", sprintIn, [new ChangeItemModel("Sprint", null, "DEMO Sprint 7")]),
        };
        changelog.AddRange(transitions.Select(t => new ChangeModel(t.By, t.At, [new ChangeItemModel("status", t.From, t.To)])));
        var customFields = new List<FieldModel> { new("customfield_10016", "Story Points", points.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("customfield_10050", "Customer", "Acme GmbH") };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["key"] = key, ["summary"] = summary, ["status"] = status, ["assignee"] = assignee ?? string.Empty, ["priority"] = "Medium",
            ["updated"] = updated.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), ["issuetype"] = type,
            ["Story Points"] = customFields[0].Value, ["Customer"] = "Acme GmbH",
        };

        return new IssueModel(
            key, "1000" + key[(key.IndexOf('-', StringComparison.Ordinal) + 1)..],
            $"https://example.atlassian.net/browse/{key}", "DEMO", summary, type, status, category, "Medium", assignee, "Rita Reporter",
            done is null ? null : "Done", created, updated, done, SprintStart.AddDays(14), labels, ["Web"], fixVersions, null, points,
            "<p>As a user I want <strong>this</strong> so that the report is useful.</p>", "As a user I want this so that the report is useful.",
            customFields, fields,
            [new CommentModel("Grace Hopper", SprintStart.AddDays(1), "<p>Looks good, one question about the <em>edge case</em>.</p>", "Looks good, one question about the edge case.")],
            [new WorklogModel(assignee, SprintStart.AddDays(2), 5400, "1h 30m", "Implementation")],
            transitions, changelog, ["DEMO Sprint 7"],
            [new IssueLinkModel("Blocks", "blocks", "DEMO-9", "https://example.atlassian.net/browse/DEMO-9")]);
    }
}
