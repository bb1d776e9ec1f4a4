namespace JiraExport.Core.Reports;

/// <summary>The sandbox's limits on one render. Generous for a 1,000-issue detail report, fatal for a runaway loop.</summary>
public sealed record ReportTemplateLimits(int MaxSteps, int MaxOutputChars, int MaxValueChars, int MaxArrayItems, TimeSpan MaxRenderTime)
{
    public static ReportTemplateLimits Default { get; } = new(
        MaxSteps: 5_000_000,
        MaxOutputChars: 200_000_000,
        MaxValueChars: 5_000_000,
        MaxArrayItems: 200_000,
        MaxRenderTime: TimeSpan.FromSeconds(30));

    /// <summary>For checking a template against the small sample report when it is saved: a save answers quickly.</summary>
    public static ReportTemplateLimits Sample { get; } = Default with { MaxSteps = 200_000, MaxOutputChars = 5_000_000, MaxRenderTime = TimeSpan.FromSeconds(3) };
}
