using JiraExport.Core.Analytics;
using Xunit;

namespace JiraExport.Core.Tests.Analytics;

/// <summary>The percentiles every duration figure states: nearest rank, so each is a value some item really had.</summary>
public sealed class FlowDistributionTests
{
    [Fact]
    public void PercentilesAreByNearestRank()
    {
        var distribution = FlowDistribution.Of([10, 1, 4, 3, 10, 8])!;

        Assert.Equal((1, 4, 10, 10, 10, 10, 6.0), (distribution.Min, distribution.P50, distribution.P70, distribution.P85, distribution.P95, distribution.Max, distribution.Mean));
        Assert.Null(FlowDistribution.Of([]));
    }
}
