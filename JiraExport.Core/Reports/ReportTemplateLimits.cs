namespace JiraExport.Core.Reports;

/// <summary>The sandbox's limits on one render. Generous for a 1,000-issue detail report, fatal for a runaway loop.</summary>
public sealed record ReportTemplateLimits(int MaxSteps, int MaxOutputChars, int MaxValueChars, int MaxArrayItems, TimeSpan MaxRenderTime)
{
    /// <summary>
    /// HTML allowed per issue of the report. The built-in issue list writes about 230 characters an issue and the detail
    /// report a few thousand; this leaves a custom template ten times a long detail page before it is stopped.
    /// </summary>
    public int OutputCharsPerIssue { get; init; } = 64_000;

    /// <summary>HTML allowed whatever the issues: page furniture, styles, the tenant's logo.</summary>
    public int BaseOutputChars { get; init; } = 4_000_000;

    public static ReportTemplateLimits Default { get; } = new(
        MaxSteps: 5_000_000,
        MaxOutputChars: 100_000_000,
        MaxValueChars: 5_000_000,
        MaxArrayItems: 200_000,
        MaxRenderTime: TimeSpan.FromSeconds(30));

    /// <summary>For checking a template against the small sample report when it is saved: a save answers quickly.</summary>
    /// <summary>
    /// The output cap of one report, sized to what it holds: the base, each of the template's images twice (its CSS and
    /// its body may both place it) and <see cref="OutputCharsPerIssue"/> an issue, never past <see cref="MaxOutputChars"/>.
    /// A template that writes far more than its data is stopped early instead of handing Chromium hundreds of megabytes.
    /// </summary>
    public int OutputCharsFor(int issueCount, long assetChars) =>
        (int)Math.Min(MaxOutputChars, BaseOutputChars + 2 * assetChars + (long)issueCount * OutputCharsPerIssue);

    public static ReportTemplateLimits Sample { get; } = Default with { MaxSteps = 200_000, MaxOutputChars = 5_000_000, MaxRenderTime = TimeSpan.FromSeconds(3) };
}
