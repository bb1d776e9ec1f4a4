namespace JiraExport.Core.Reports;

/// <summary>A template that ships with the product: published as version 1, copied by tenants to make their own.</summary>
public sealed record BuiltInTemplate(string Name, string Kind, string Description, TemplateSource Source)
{
    public const int Version = 1;
}

/// <summary>The built-in templates, read once from the assembly; each is the shared CSS plus its own.</summary>
public static class BuiltInTemplates
{
    private const string ResourcePrefix = "JiraExport.Core.Reports.Templates.";

    public static IReadOnlyList<BuiltInTemplate> All { get; } =
    [
        Load(ReportKinds.IssueList, "A table of the matched issues with the selected fields."),
        Load(ReportKinds.IssueDetail, "Every issue in full: fields, custom fields, description, comments, work log, status history and changes."),
        Load(ReportKinds.SprintReport, "Per sprint: committed vs done, scope change and a burndown chart."),
        Load(ReportKinds.ReleaseNotes, "Per fix version, the issues grouped by issue type."),
        Load(ReportKinds.StakeholderPack, "For stakeholders: flow figures, a forecast of the open issues, insights, flow charts, the sprints and the issues."),
    ];

    public static BuiltInTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static BuiltInTemplate Load(string kind, string description) =>
        new(kind, kind, description, new TemplateSource(
            Read($"{kind}.liquid"),
            Read("base.css") + "\n" + Read($"{kind}.css"),
            TemplateSource.NoAssets));

    private static string Read(string name)
    {
        using var stream = typeof(BuiltInTemplates).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The built-in template resource '{name}' is missing from JiraExport.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
