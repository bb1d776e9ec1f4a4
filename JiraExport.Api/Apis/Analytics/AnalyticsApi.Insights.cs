using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Apis;

/// <summary>The handler of <c>analytics/insights</c>: every insight rule applied to a window and the latest closed sprints.</summary>
public static partial class AnalyticsApi
{
    /// <summary>Closed sprints the scope-change insight compares: a quarter to a half year of two-week sprints.</summary>
    private const int InsightSprints = 12;

    public static Task<Results<Ok<InsightsResponse>, ValidationProblem, ProblemHttpResult>> GetInsights(
        [AsParameters] FlowQuery query, long? boardId, [AsParameters] FlowServices services, CancellationToken cancellationToken) =>
        AnswerAsync<Ok<InsightsResponse>>(null, query, services, async flow =>
        {
            var sprints = await services.Sprints.ClosedSprintsAsync(flow.ConnectionId, boardId, InsightSprints, cancellationToken);
            var histories = await services.Sprints.HistoriesAsync(flow.ConnectionId, sprints, cancellationToken);
            var now = services.Time.GetUtcNow();
            var scope = histories is null
                ? null
                : sprints.Select(s => SprintScope.Build(s, histories, flow.Snapshot.Statuses.Finished, flow.Calendar.Calendar, now)).OfType<SprintReport>()
                    .Select(r => new SprintScopeFigures(r.Sprint.Name, r.Committed, r.AddedAfterStart, r.Removed)).ToList();
            IReadOnlyList<Insight> insights = [.. new FlowInsights(flow.Metrics).Flow(flow.Snapshot, flow.Window), FlowInsights.ScopeChange(scope)];
            return TypedResults.Ok(new InsightsResponse(insights, flow.Basis, flow.ConnectionId, query.Projects ?? [], boardId, flow.Window.From, flow.Window.To));
        }, cancellationToken);
}
