using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static class SyncApi
{
    private const int HistoryLength = 50;

    public static IEndpointRouteBuilder MapSyncApiV1(this IEndpointRouteBuilder app)
    {
        var connections = app.MapGroup("api/v{version:apiVersion}/connections").HasApiVersion(1.0).WithTags("Sync").RequireTenant();
        connections.MapPost("/{id:guid}/sync", StartSync).RequireAuthorization(Scopes.ConnectionsManage)
            .WithName("StartSync").WithSummary("Queue a full or incremental sync of a connection's issues into the store");
        connections.MapGet("/{id:guid}/sync-jobs", ListSyncJobs).RequireAuthorization(Scopes.ExportsRead)
            .WithName("ListSyncJobs").WithSummary("A connection's sync runs, newest first");

        var jobs = app.MapGroup("api/v{version:apiVersion}/sync-jobs").HasApiVersion(1.0).WithTags("Sync").RequireTenant();
        jobs.MapGet("/{id:guid}", GetSyncJob).RequireAuthorization(Scopes.ExportsRead).WithName("GetSyncJob").WithSummary("Get a sync run's status and counts");
        return app;
    }

    public static async Task<Results<Accepted<SyncAcceptedResponse>, ValidationProblem, ProblemHttpResult>> StartSync(
        Guid id, StartSyncRequest request, JiraExportDbContext db, TenantContext tenant, OutboxWriter outbox, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var errors = SyncValidation.Validate(request, out var mode, out var projects);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var connection = await db.JiraConnections.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (connection is null)
        {
            return ConnectionsApi.NotFoundProblem(id);
        }

        var scope = projects is not null || request.Jql is not null ? SyncScopes.ToJql(projects, request.Jql) : connection.SyncScopeJql;
        if (scope is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["projects"] = ["This connection has not synced before: name the projects or a JQL to sync."],
            });
        }

        // One run at a time per connection: asking again while one waits or runs answers that run.
        var active = await db.SyncJobs.AsNoTracking()
            .SingleOrDefaultAsync(j => j.ConnectionId == id && (j.Status == SyncJobStatus.Queued || j.Status == SyncJobStatus.Running), cancellationToken);
        if (active is not null)
        {
            return Accepted(active, alreadyActive: true);
        }

        var job = new SyncJob
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.TenantId!.Value,
            ConnectionId = id,
            Mode = mode,
            ScopeJql = scope,
            Status = SyncJobStatus.Queued,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        db.SyncJobs.Add(job);
        connection.SyncScopeJql = scope;
        outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.SyncJobsRoutingKey, new SyncRequested(job.TenantId, job.Id));
        // The partial unique index settles a race between two requests: the loser's transaction fails and the caller retries.
        await db.SaveChangesAsync(cancellationToken);
        return Accepted(job, alreadyActive: false);
    }

    public static async Task<Results<Ok<SyncJobResponse>, ProblemHttpResult>> GetSyncJob(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.SyncJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        return job is null
            ? TypedResults.Problem(title: "Sync job not found", detail: $"No sync job {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ToResponse(job));
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

    private static Accepted<SyncAcceptedResponse> Accepted(SyncJob job, bool alreadyActive) =>
        TypedResults.Accepted($"/api/v1/sync-jobs/{job.Id}",
            new SyncAcceptedResponse(job.Id, StatusName(job.Status), SyncValidation.ModeName(job.Mode), alreadyActive));

    private static string StatusName(SyncJobStatus status) => status.ToString().ToLowerInvariant();

    private static SyncJobResponse ToResponse(SyncJob j) => new(
        j.Id, j.ConnectionId, SyncValidation.ModeName(j.Mode), j.ScopeJql, StatusName(j.Status), j.Progress, j.IssuesExpected, j.IssuesSeen,
        j.IssuesWritten, j.Deleted, j.Pages, j.ChangedSince, j.CreatedAt, j.StartedAt, j.FinishedAt, j.Error);
}
