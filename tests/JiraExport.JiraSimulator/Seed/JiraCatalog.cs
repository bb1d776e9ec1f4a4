namespace JiraExport.JiraSimulator.Seed;

/// <summary>The fixed configuration of the simulated site: projects, workflow, priorities, issue types and people.</summary>
internal static class JiraCatalog
{
    /// <summary>The site's zone: dates render with +0300 and JQL dates are read in it, so clients see a non-UTC offset.</summary>
    public static readonly TimeSpan SiteOffset = TimeSpan.FromHours(3);

    /// <summary>Every Jira site has it, though no status uses it; clients reading categories must cope with it.</summary>
    private static readonly SeedStatusCategory NoCategory = new(1, "undefined", "medium-gray", "No Category");
    private static readonly SeedStatusCategory New = new(2, "new", "blue-gray", "To Do");
    private static readonly SeedStatusCategory Indeterminate = new(4, "indeterminate", "yellow", "In Progress");
    private static readonly SeedStatusCategory DoneCategory = new(3, "done", "green", "Done");

    /// <summary>In Jira's order (by id, but "done" last).</summary>
    public static readonly IReadOnlyList<SeedStatusCategory> StatusCategories = [NoCategory, New, Indeterminate, DoneCategory];

    public static readonly IReadOnlyList<SeedProject> Projects =
    [
        new("10000", "ALPHA", "Alpha Platform", 2000),
        new("10001", "BETA", "Beta Mobile", 1500),
        new("10002", "GAMMA", "Gamma Analytics", 1000),
        new("10003", "DELTA", "Delta Infrastructure", 500),
    ];

    public static readonly SeedStatus ToDo = new("10000", "To Do", "Work that has not been started.", New);
    public static readonly SeedStatus InProgress = new("3", "In Progress", "This issue is being actively worked on at the moment by the assignee.", Indeterminate);
    public static readonly SeedStatus InReview = new("10001", "In Review", "Waiting for a code review.", Indeterminate);
    public static readonly SeedStatus Done = new("10002", "Done", "Work that is finished.", DoneCategory);

    public static readonly IReadOnlyList<SeedStatus> Statuses = [ToDo, InProgress, InReview, Done];

    public static readonly IReadOnlyList<SeedPriority> Priorities =
    [
        new("1", "Highest", "This problem will block progress.", "#d04437"),
        new("2", "High", "Serious problem that could block progress.", "#f15c75"),
        new("3", "Medium", "Has the potential to affect progress.", "#f79232"),
        new("4", "Low", "Minor problem or easily worked around.", "#707070"),
        new("5", "Lowest", "Trivial problem with little or no impact on progress.", "#999999"),
    ];

    /// <summary>What a new issue gets when nobody picks a priority.</summary>
    public static SeedPriority DefaultPriority => Priorities[2];

    public static readonly SeedIssueType Bug = new("10004", "Bug", "A problem or error.");
    public static readonly SeedIssueType Task = new("10002", "Task", "A small, distinct piece of work.");
    public static readonly SeedIssueType Story = new("10001", "Story", "Functionality or a feature expressed as a user goal.");

    public static readonly IReadOnlyList<SeedIssueType> IssueTypes = [Bug, Task, Story];

    public static readonly IReadOnlyList<SeedUser> Users =
    [
        new("5f1a2b3c4d5e6f7081920a01", "asmirnova", "JIRAUSER10101", "Анна Смирнова", "anna.smirnova@example.com", true, "Europe/Moscow"),
        new("5f1a2b3c4d5e6f7081920a02", "dkozlov", "JIRAUSER10102", "Дмитрий Козлов", "dmitry.kozlov@example.com", true, "Europe/Moscow"),
        new("5f1a2b3c4d5e6f7081920a03", "evolkova", "JIRAUSER10103", "Екатерина Волкова", "ekaterina.volkova@example.com", true, "Asia/Yekaterinburg"),
        new("5f1a2b3c4d5e6f7081920a04", "isokolov", "JIRAUSER10104", "Игорь Соколов", "igor.sokolov@example.com", false, "Europe/Moscow"),
        new("5f1a2b3c4d5e6f7081920a05", "ajohnson", "JIRAUSER10105", "Alice Johnson", "alice.johnson@example.com", true, "Europe/London"),
        new("5f1a2b3c4d5e6f7081920a06", "bmartinez", "JIRAUSER10106", "Bob Martinez", "bob.martinez@example.com", true, "America/New_York"),
        new("5f1a2b3c4d5e6f7081920a07", "cwei", "JIRAUSER10107", "Chen Wei", "chen.wei@example.com", true, "Asia/Singapore"),
        new("5f1a2b3c4d5e6f7081920a08", "psharma", "JIRAUSER10108", "Priya Sharma", "priya.sharma@example.com", true, "Asia/Kolkata"),
    ];

    /// <summary>The account every valid credential logs in as.</summary>
    public static readonly SeedUser Admin =
        new("5d9f2e8a7c3b1a0012ab34cd", "demo", "JIRAUSER10000", "Demo Admin", "demo@example.com", true, "Europe/Moscow");

    public static readonly IReadOnlyList<string> Labels =
        ["backend", "frontend", "mobile", "security", "performance", "ux", "tech-debt", "export", "customer"];
}
