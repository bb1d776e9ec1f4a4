using JiraExport.Core.Caching;
using JiraExport.Api.Caching;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static class SyncApi
{
    private const int HistoryLength = 50;

    /// <summary>Routes under <c>sync-jobs</c>; a connection's sync routes are in <see cref="ConnectionsApi"/>'s table.</summary>
    public static IEndpointRouteBuilder MapSyncJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("sync-jobs").WithTags("Sync").RequireTenant().EvictsCachedReads(ReadCacheTags.Issues);

        jobs.MapGet("/{id:guid}", GetSyncJob)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetSyncJob")
            .WithSummary("Get a sync run's status and counts");
        jobs.MapPost("/{id:guid}/deletions", ConfirmDeletions)
            .RequireAuthorization(Scopes.ConnectionsManage)
            .WithName("ConfirmSyncDeletions")
            .WithSummary("Apply the deletions a full run held back because they were a sharp drop");

        return app;
    }

    public static async Task<Results<Accepted<SyncAcceptedResponse>, ValidationProblem, ProblemHttpResult>> StartSync(
        Guid id, StartSyncRequest request, JiraExportDbContext db, TenantContext tenant, SyncJobQueue queue, CancellationToken cancellationToken)
    {
        var connection = await db.JiraConnections.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (connection is null)
        {
            return ConnectionsApi.NotFoundProblem(id);
        }

        // The first scope becomes the connection's; later one-off scopes sync without replacing it (the schedule does that).
        var scope = ScopeOf(request.Projects, request.Jql, connection);
        connection.SyncScopeJql ??= scope;
        var (job, alreadyActive) = await queue.EnqueueAsync(tenant.TenantId!.Value, id, SyncValidation.ReadMode(request), scope, cancellationToken);
        // The partial unique index settles a race between two requests: the loser's transaction fails and the caller retries.
        await db.SaveChangesAsync(cancellationToken);
        return Accepted(job, alreadyActive);
    }

    public static async Task<Results<Ok<SyncJobResponse>, ProblemHttpResult>> GetSyncJob(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.SyncJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        return job is null
            ? TypedResults.Problem(title: "Sync job not found", detail: $"No sync job {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ToResponse(job));
    }

    /// <summary>
    /// Deletes the issues a full run found gone from Jira but held back (<c>deletionsHeld</c>), except those a later run
    /// has seen again: a Jira that lost a permission for an hour gives its issues back.
    /// </summary>
    public static async Task<Results<Ok<SyncJobResponse>, ProblemHttpResult>> ConfirmDeletions(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.SyncJobs.FromSql($"SELECT * FROM sync_jobs WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return TypedResults.Problem(title: "Sync job not found", detail: $"No sync job {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound);
        }

        if (job.HeldDeletions is not { Length: > 0 } held)
        {
            return TypedResults.Problem(title: "No deletions held",
                detail: $"Sync run {id} holds no deletions to confirm: it applied its deletions (deleted: {job.Deleted}) or they were confirmed already.",
                statusCode: StatusCodes.Status409Conflict);
        }

        // A later full run looked again: its own answer (deleted, or held anew) is the one that counts.
        if (await db.SyncJobs.AnyAsync(j => j.ConnectionId == job.ConnectionId && j.CreatedAt > job.CreatedAt
                                            && j.Mode == SyncMode.Full && j.Status == SyncJobStatus.Succeeded, cancellationToken))
        {
            return TypedResults.Problem(title: "Superseded",
                detail: $"A later full run of this connection looked at the same issues; confirm the deletions it holds instead (GET /api/v1/connections/{job.ConnectionId}/sync-jobs).",
                statusCode: StatusCodes.Status409Conflict);
        }

        var laterRuns = db.SyncJobs.Where(j => j.ConnectionId == job.ConnectionId && j.CreatedAt > job.CreatedAt).Select(j => (Guid?)j.Id);
        job.Deleted += await db.SyncedIssues
            .Where(i => i.ConnectionId == job.ConnectionId && held.Contains(i.IssueId)
                        && (i.LastSeenJobId == null || !laterRuns.Contains(i.LastSeenJobId))
                        // Written since the run ended (a Jira webhook showed it alive): not gone.
                        && (job.FinishedAt == null || i.SyncedAt <= job.FinishedAt))
            .ExecuteDeleteAsync(cancellationToken);
        job.HeldDeletions = null;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(job));
    }

    public static async Task<Results<Ok<ListPage<SyncJobResponse>>, ValidationProblem, ProblemHttpResult>> ListSyncJobsV2(
        Guid id, int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.JiraConnections.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ConnectionsApi.NotFoundProblem(id);
        }

        var (jobs, next) = await db.SyncJobs.AsNoTracking().Where(j => j.ConnectionId == id)
            .NewestFirstAsync(j => j.CreatedAt, j => j.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. jobs.Select(ToResponse)], next, j => ListPages.V2($"/sync-jobs/{j.Id}")));
    }

    public static async Task<Results<Ok<SyncJobResponse[]>, ProblemHttpResult>> ListSyncJobs(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.JiraConnections.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ConnectionsApi.NotFoundProblem(id);
        }

        var jobs = await db.SyncJobs.AsNoTracking().Where(j => j.ConnectionId == id)
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(HistoryLength).ToListAsync(cancellationToken);
        return TypedResults.Ok(jobs.Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<SyncScheduleResponse>, ValidationProblem, ProblemHttpResult>> PutSchedule(
        Guid id, PutSyncScheduleRequest request, JiraExportDbContext db, TenantContext tenant, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var connection = await db.JiraConnections.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (connection is null)
        {
            return ConnectionsApi.NotFoundProblem(id);
        }

        var scope = ScopeOf(request.Projects, request.Jql, connection);
        var now = timeProvider.GetUtcNow();
        var zone = request.TimeZone ?? "UTC";
        var nextRun = SyncCron.Next(request.Cron!, zone, now);
        if (nextRun is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cron"] = ["The expression never fires again."] });
        }

        var schedule = await db.SyncSchedules.SingleOrDefaultAsync(s => s.ConnectionId == id, cancellationToken);
        if (schedule is null)
        {
            schedule = new SyncSchedule { ConnectionId = id, TenantId = tenant.TenantId!.Value, Cron = "", TimeZone = "", ScopeJql = "" };
            db.SyncSchedules.Add(schedule);
        }

        schedule.Cron = request.Cron!.Trim();
        schedule.ReconcileCron = request.ReconcileCron?.Trim();
        schedule.TimeZone = zone;
        schedule.ScopeJql = scope;
        schedule.NextRunAt = nextRun.Value;
        schedule.NextReconcileAt = schedule.ReconcileCron is null ? null : SyncCron.Next(schedule.ReconcileCron, zone, now);
        schedule.UpdatedAt = now;
        connection.SyncScopeJql = scope;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(schedule));
    }

    public static async Task<Results<Ok<SyncScheduleResponse>, ProblemHttpResult>> GetSchedule(
        Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var schedule = await db.SyncSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.ConnectionId == id, cancellationToken);
        return schedule is not null ? TypedResults.Ok(ToResponse(schedule))
            : await db.JiraConnections.AnyAsync(c => c.Id == id, cancellationToken)
                ? TypedResults.Problem(title: "No schedule", detail: $"Connection {id} syncs only when asked; PUT a schedule to change that.", statusCode: StatusCodes.Status404NotFound)
                : ConnectionsApi.NotFoundProblem(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSchedule(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.JiraConnections.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ConnectionsApi.NotFoundProblem(id);
        }

        await db.SyncSchedules.Where(s => s.ConnectionId == id).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The scope a request names, or else the connection's, or else every project the credentials can see.</summary>
    private static string ScopeOf(IReadOnlyList<string>? requested, string? jql, JiraConnection connection) =>
        SyncValidation.ReadProjects(requested) is { } projects ? SyncScopes.ToJql(projects, jql)
        : jql is not null ? SyncScopes.ToJql(null, jql)
        : connection.SyncScopeJql ?? SyncScopes.EveryProject;

    private static SyncScheduleResponse ToResponse(SyncSchedule s) =>
        new(s.ConnectionId, s.Cron, s.ReconcileCron, s.TimeZone, s.ScopeJql, s.NextRunAt, s.NextReconcileAt, s.LastJobId);

    private static Accepted<SyncAcceptedResponse> Accepted(SyncJob job, bool alreadyActive) =>
        TypedResults.Accepted($"/api/v1/sync-jobs/{job.Id}",
            new SyncAcceptedResponse(job.Id, StatusName(job.Status), SyncValidation.ModeName(job.Mode), alreadyActive));

    private static string StatusName(SyncJobStatus status) => status.ToString().ToLowerInvariant();

    private static SyncJobResponse ToResponse(SyncJob j) => new(
        j.Id, j.ConnectionId, SyncValidation.ModeName(j.Mode), j.ScopeJql, StatusName(j.Status), j.Progress, j.IssuesExpected, j.IssuesSeen,
        j.IssuesWritten, j.Deleted, j.HeldDeletions?.Length ?? 0, j.LeftScope, j.Pages, j.ChangedSince, j.CreatedAt, j.StartedAt, j.FinishedAt, j.Error);
}
