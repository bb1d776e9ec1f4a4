namespace JiraExport.Core.Domain;

/// <summary>
/// What a bulk export asked for: one document per issue, project, sprint or JQL of <paramref name="JqlList"/>
/// (<see cref="BulkSplits"/>), packaged as a ZIP or one merged PDF (<see cref="BulkPackages"/>). Stored as jsonb.
/// </summary>
public sealed record BulkSpec(string SplitBy, string Package, IReadOnlyList<string>? JqlList = null);

/// <summary>One planned document of a bulk export: its position, a label (issue key, project, sprint name) and its own JQL.</summary>
public sealed record BulkPart(int Ordinal, string Label, string Jql);

public static class BulkSplits
{
    public const string Issue = "issue";
    public const string Project = "project";
    public const string Sprint = "sprint";
    public const string JqlList = "jqlList";

    public static readonly string[] All = [Issue, Project, Sprint, JqlList];
}

public static class BulkPackages
{
    public const string Zip = "zip";
    public const string MergedPdf = "merged-pdf";

    public static readonly string[] All = [Zip, MergedPdf];
}

public static class BulkLimits
{
    /// <summary>Parts one bulk export may have; a plan with more fails with a reason, before any part is created.</summary>
    public const int MaxParts = 2_000;

    /// <summary>Entries a jqlList may hold (checked by the Api).</summary>
    public const int MaxJqlListEntries = 1_000;
}
