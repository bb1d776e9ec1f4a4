using JiraExport.Core.Analytics;
using Xunit;

namespace JiraExport.Core.Tests.Analytics;

/// <summary>Process-behaviour chart limits and signals, worked out by hand.</summary>
public sealed class ProcessBehaviourTests
{
    [Fact]
    public void TheLimitsAreTheMeanPlusAndMinusTwoPointSixSixAverageMovingRanges()
    {
        // Mean 2.5; moving ranges all 1; 2.5 ± 2.66 → 0 (not −0.16) to 5.16.
        var limits = ProcessBehaviour.Limits([2, 3, 2, 3, 2, 3, 2, 3, 9], baseline: 8)!;

        Assert.Equal(new ProcessLimits(2.5, 1, 0, 5.16, 8), limits);
    }

    [Fact]
    public void APointBeyondALimitAndARunOfEightOnOneSideAreSignals()
    {
        double[] weeks = [2, 3, 2, 3, 2, 3, 2, 3, 4, 4, 5, 4, 4, 6, 4, 4];
        var limits = ProcessBehaviour.Limits(weeks, 8)!;

        var signals = ProcessBehaviour.Signals(weeks, limits);

        // Weeks 7 to 15 are above the mean (week 7 is a baseline 3), and week 13's 6 is above 5.16.
        Assert.Equal([(ProcessBehaviour.Run, 7, 15), (ProcessBehaviour.BeyondLimit, 13, 13)], signals.Select(s => (s.Rule, s.First, s.Last)));
    }

    [Fact]
    public void SevenInARowOrAPointOnTheMeanIsNoRun()
    {
        double[] weeks = [1, 3, 1, 3, 2, 3, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3];
        var limits = ProcessBehaviour.Limits(weeks, 4)!;

        Assert.Equal(2, limits.Mean);
        Assert.DoesNotContain(ProcessBehaviour.Signals(weeks, limits), s => s.Rule == ProcessBehaviour.Run);
    }

    [Fact]
    public void ScopeChangeNamesOnlyTheSprintsAboveTheUpperLimit()
    {
        // Changes 1, 2, 1, 2, 1, 9: mean 2.67, moving ranges 1, 1, 1, 1, 8 → 2.4; upper 2.67 + 6.38 = 9.05: 9 is within.
        SprintScopeFigures[] usual = [new("S1", 10, 1, 0), new("S2", 10, 1, 1), new("S3", 10, 1, 0), new("S4", 10, 2, 0), new("S5", 10, 0, 1), new("S6", 10, 5, 4)];
        Assert.Equal(InsightOutcomes.None, FlowInsights.ScopeChange(usual).Outcome);

        // Ten quiet sprints (2, 1, 2, 1, …) and one with 12 changes: mean 27 / 11 = 2.45, average moving range 20 / 10 = 2,
        // upper 2.45 + 5.32 = 7.77.
        var quiet = Enumerable.Range(1, 10).Select(i => new SprintScopeFigures($"S{i}", 10, i % 2, 1)).Append(new SprintScopeFigures("S11", 10, 8, 4)).ToList();
        var insight = FlowInsights.ScopeChange(quiet);
        Assert.Equal(InsightOutcomes.Signal, insight.Outcome);
        Assert.Equal(10, Assert.Single(insight.Signals).First);
        Assert.Equal("S11 (12 changed, 10 committed) above the upper limit 7.77.", insight.Summary);

        Assert.Equal(InsightOutcomes.NotEnoughData, FlowInsights.ScopeChange(usual[..4]).Outcome);
    }
}
