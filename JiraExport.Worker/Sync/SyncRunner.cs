using System.Diagnostics;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.Sync;

/// <summary>
/// Runs one sync job as a two-phase delta: walk the scope's ids and <c>updated</c> stamps a page at a time, fetch only
/// the issues whose stamp differs from the stored one (in bulk, with complete changelogs), and commit each page together
/// with the checkpoint that names the next one. The last page commits with the run's end: for a full run, deleting
/// what the walk did not see — which is safe only because the walk provably finished.
/// </summary>
public sealed partial class SyncRunner(
    JiraExportDbContext db,
    TenantContext tenantContext,
    SyncStore store,
    DomainEventWriter events,
    JiraClient jira,
    JiraIssueReader issues,
    JiraSiteResolver sites,
    WorkerIdentity worker,
    IOptions<SyncOptions> options,
    TimeProvider timeProvider,
    ILogger<SyncRunner> logger)
{
    /// <summary>Progress points between two progress events; a run of many pages would flood clients otherwise.</summary>
    private const int ProgressEventStep = 5;

    private int _reportedProgress = -ProgressEventStep;

    /// <summary>The JQL this run walks: the job's scope, or for <see cref="SyncScopes.EveryProject"/> the projects Jira lists now.</summary>
    private string _walkScope = string.Empty;

    public async Task RunAsync(SyncRequested request, CancellationToken cancellationToken)
    {
        tenantContext.Set(request.TenantId);
        var job = await TakeLeaseAsync(request.JobId, cancellationToken);
        if (job is null)
        {
            return;
        }

        try
        {
            var connection = await db.InTransactionAsync(
                ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == job.ConnectionId, ct), cancellationToken)
                ?? throw new SyncFailedException("The connection was deleted while its sync waited.");
            var site = await sites.ResolveAsync(connection, cancellationToken);
            _walkScope = await WalkScopeAsync(job, site, cancellationToken);
            if (job.WalkStartedAt is null)
            {
                await BeginAsync(job, connection, site, cancellationToken);
            }

            // Stored rows shaped by another scope or an older store version are rewritten, not trusted by their stamps.
            var rewrite = connection.SyncFingerprint != SyncScopes.Fingerprint(_walkScope);
            var ownScope = connection.SyncScopeJql is null || connection.SyncScopeJql == job.ScopeJql;
            await WalkAsync(job, site, rewrite, ownScope, cancellationToken);
        }
        catch (JiraException ex) when (ex.Kind != JiraFailureKind.Unavailable)
        {
            await FailAsync(job.Id, ex.Message, cancellationToken);
        }
        catch (JiraException ex)
        {
            await FailAsync(job.Id, $"{ex.Message} Jira stayed unavailable for {options.Value.UnavailablePatience}; the sync stopped after {job.Pages} pages. Run it again when Jira answers.", cancellationToken);
        }
        catch (SyncFailedException ex)
        {
            await FailAsync(job.Id, ex.Message, cancellationToken);
        }
    }

    /// <summary>Marks the run failed with a reason a person can act on, and lets the connection sync again.</summary>
    public async Task FailAsync(Guid jobId, string reason, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var error = reason.Length > 2000 ? reason[..2000] : reason;
        var failed = await db.InTransactionAsync(async ct =>
        {
            var ended = await db.SyncJobs
                .Where(j => j.Id == jobId && (j.Status == SyncJobStatus.Queued || j.Status == SyncJobStatus.Running))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, SyncJobStatus.Failed)
                    .SetProperty(j => j.Error, error)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.LeaseOwner, (string?)null)
                    .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), ct);
            if (ended == 1)
            {
                var job = await db.SyncJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
                await AppendEventAsync(job, SyncEventTypes.Failed, ct);
                await db.SaveChangesAsync(ct);
            }

            return ended;
        }, cancellationToken);
        if (failed == 1)
        {
            LogFailed(logger, jobId, error);
        }
    }

    /// <summary>
    /// Takes the run for this Worker. Null when it has ended. While another live Worker holds it, waits for that lease to
    /// run out (a Worker that died leaves it to expire), up to twice the lease length, then gives the message back.
    /// </summary>
    private async Task<SyncJob?> TakeLeaseAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var giveUpAt = timeProvider.GetUtcNow() + (options.Value.LeaseDuration * 2);
        while (true)
        {
            var now = timeProvider.GetUtcNow();
            var expires = now + options.Value.LeaseDuration;
            var taken = await db.InTransactionAsync(async ct =>
            {
                // Fair share: a tenant runs at most MaxRunningPerTenant syncs at once, so its big backlog cannot hold
                // every Worker slot while other tenants wait. The tenant row's lock makes the count and the take atomic.
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tenants WHERE id = {tenantContext.TenantId} FOR UPDATE", ct);
                var runningElsewhere = await db.SyncJobs.CountAsync(
                    j => j.Id != jobId && j.Status == SyncJobStatus.Running && j.LeaseExpiresAt >= now, ct);
                if (runningElsewhere >= options.Value.MaxRunningPerTenant)
                {
                    return -1;
                }

                return await db.SyncJobs
                    .Where(j => j.Id == jobId && (j.Status == SyncJobStatus.Queued || j.Status == SyncJobStatus.Running)
                                && (j.LeaseOwner == null || j.LeaseOwner == worker.Name || j.LeaseExpiresAt < now))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, SyncJobStatus.Running)
                        .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                        .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                        .SetProperty(j => j.LeaseOwner, worker.Name)
                        .SetProperty(j => j.LeaseExpiresAt, expires), ct);
            }, cancellationToken);
            if (taken == -1)
            {
                throw new SyncDeferredException(jobId);
            }

            var job = await db.InTransactionAsync(ct => db.SyncJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct), cancellationToken);
            if (taken == 1)
            {
                return job;
            }

            if (job is null || job.Status is SyncJobStatus.Succeeded or SyncJobStatus.Failed)
            {
                return null;
            }

            if (now >= giveUpAt)
            {
                throw new SyncLeaseHeldException(jobId, job.LeaseOwner);
            }

            var wait = (job.LeaseExpiresAt ?? now) - now + TimeSpan.FromMilliseconds(200);
            LogWaitingForLease(logger, jobId, job.LeaseOwner, wait);
            await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, timeProvider, cancellationToken);
        }
    }

    /// <summary>The JQL the run walks; for a scope of every project, the projects the credentials see now, in key order.</summary>
    private async Task<string> WalkScopeAsync(SyncJob job, JiraSite site, CancellationToken cancellationToken)
    {
        if (job.ScopeJql != SyncScopes.EveryProject)
        {
            return job.ScopeJql;
        }

        var projects = await PatientlyAsync(job.Id, ct => jira.GetProjectsAsync(site, ct), cancellationToken);
        return projects.Count == 0
            ? throw new SyncFailedException("The connection's credentials see no Jira project; give them access to the projects to sync, or name the projects or a JQL.")
            : SyncScopes.ToJql([.. projects.Select(p => p.Key).Order(StringComparer.Ordinal)], jql: null);
    }

    /// <summary>
    /// Fixes what the run reads, once, before its first page: when the walk starts, what changed since (an incremental
    /// run without a usable watermark becomes full) and how many issues to expect.
    /// </summary>
    private async Task BeginAsync(SyncJob job, JiraConnection connection, JiraSite site, CancellationToken cancellationToken)
    {
        var usable = connection.SyncWatermark is not null && connection.SyncFingerprint == SyncScopes.Fingerprint(_walkScope);
        job.Mode = job.Mode == SyncMode.Incremental && usable ? SyncMode.Incremental : SyncMode.Full;
        job.WalkStartedAt = timeProvider.GetUtcNow();
        job.ChangedSince = job.Mode == SyncMode.Incremental ? connection.SyncWatermark - options.Value.IncrementalOverlap : null;
        if (site.Deployment == JiraDeployment.Cloud)
        {
            var scope = SyncScopes.WalkJql(_walkScope, job.ChangedSince, job.WalkStartedAt.Value);
            var countJql = scope[..scope.LastIndexOf(" ORDER BY", StringComparison.Ordinal)];
            job.IssuesExpected = await PatientlyAsync(job.Id, ct => jira.ApproximateCountAsync(site, countJql, ct), cancellationToken);
        }

        var statuses = await ReadStatusesAsync(job, site, cancellationToken);
        var (mode, walkStartedAt, changedSince, expected) = (job.Mode, job.WalkStartedAt, job.ChangedSince, job.IssuesExpected);
        await db.InTransactionAsync(async ct =>
        {
            await store.UpsertStatusesAsync(job.TenantId, job.ConnectionId, statuses, walkStartedAt!.Value, ct);
            return await db.SyncJobs
                .Where(j => j.Id == job.Id && j.LeaseOwner == worker.Name && j.WalkStartedAt == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Mode, mode)
                    .SetProperty(j => j.WalkStartedAt, walkStartedAt)
                    .SetProperty(j => j.ChangedSince, changedSince)
                    .SetProperty(j => j.IssuesExpected, expected), ct);
        }, cancellationToken);
        LogStarted(logger, job.Id, job.Mode, _walkScope);
    }

    /// <summary>
    /// The site's statuses, for flow metrics to place past statuses no issue holds any more. Best effort: a site that
    /// refuses or garbles <c>GET /status</c> still syncs, and figures place statuses by those the issues hold.
    /// </summary>
    private async Task<IReadOnlyList<JiraStatusEntry>> ReadStatusesAsync(SyncJob job, JiraSite site, CancellationToken cancellationToken)
    {
        try
        {
            return await PatientlyAsync(job.Id, ct => jira.GetStatusesAsync(site, ct), cancellationToken);
        }
        catch (JiraException ex) when (ex.Kind != JiraFailureKind.Unavailable)
        {
            LogStatusesUnread(logger, job.Id, ex.Message);
            return [];
        }
    }

    private async Task WalkAsync(SyncJob job, JiraSite site, bool rewrite, bool ownScope, CancellationToken cancellationToken)
    {
        var walkJql = SyncScopes.WalkJql(_walkScope, job.ChangedSince, job.WalkStartedAt!.Value);
        var stopwatch = Stopwatch.StartNew();
        var cursor = job.Cursor;
        var sprintFieldId = await PatientlyAsync(job.Id, ct => issues.SprintFieldIdAsync(site, job.ConnectionId, ct), cancellationToken);
        while (true)
        {
            // Nothing of a page is written before its commit, so reading it again from the same cursor is safe.
            var (page, rows) = await PatientlyAsync(job.Id, async ct =>
            {
                var page = await jira.WalkPageAsync(site, walkJql, cursor, options.Value.WalkPageSize, ct);
                return (page, await FetchChangedAsync(job, site, page, rewrite, sprintFieldId, ct));
            }, cancellationToken);

            var ids = page.Issues.Select(i => long.Parse(i.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            job.IssuesExpected ??= page.Total;
            var isLast = page.NextCursor is null;
            var unseen = isLast && job.Mode == SyncMode.Full ? await ClassifyUnseenAsync(job, site, ids, ownScope, cancellationToken) : UnseenIssues.None;
            var finished = await CommitPageAsync(job, ids, rows, rewrite, page.NextCursor, isLast, unseen, cancellationToken);
            cursor = page.NextCursor;
            if (finished)
            {
                LogFinished(logger, job.Id, job.IssuesSeen, job.IssuesWritten, job.Deleted, stopwatch.ElapsedMilliseconds);
                return;
            }
        }
    }

    /// <summary>
    /// What a finished full walk may remove, of the stored issues it did not see: those Jira no longer returns (deleted
    /// in Jira), and, for a run of the connection's own scope, those Jira says are outside it (they would go stale). An
    /// issue merely outside a one-off narrower scope is the connection's still and is kept. Thousands of ids may be
    /// asked about: the lease is renewed between batches, so no other Worker takes the run over meanwhile.
    /// </summary>
    private async Task<UnseenIssues> ClassifyUnseenAsync(
        SyncJob job, JiraSite site, IReadOnlyList<long> lastPageIds, bool ownScope, CancellationToken cancellationToken)
    {
        var unseen = await db.InTransactionAsync(ct => store.ReadUnseenIdsAsync(job.ConnectionId, job.Id, lastPageIds, ct), cancellationToken);
        var gone = new List<long>();
        var leftScope = new List<long>();
        foreach (var batch in unseen.Chunk(options.Value.ExistenceCheckBatch))
        {
            await RenewLeaseAsync(job.Id, cancellationToken);
            var existing = await PatientlyAsync(job.Id, ct => jira.FindExistingIssueIdsAsync(site, batch, ct), cancellationToken);
            gone.AddRange(batch.Where(id => !existing.Contains(id)));
            if (ownScope && existing.Count > 0)
            {
                leftScope.AddRange(await OutsideScopeAsync(job, site, existing, cancellationToken));
            }
        }

        return new UnseenIssues(gone, leftScope);
    }

    /// <summary>Of issues that exist, those the scope's JQL does not match: moved to another project, or the scope narrowed.</summary>
    private async Task<IEnumerable<long>> OutsideScopeAsync(SyncJob job, JiraSite site, IReadOnlyCollection<long> existing, CancellationToken cancellationToken)
    {
        var jql = $"({_walkScope}) AND id in ({string.Join(',', existing)})";
        try
        {
            var inScope = (await PatientlyAsync(job.Id, ct => jira.SearchIdsAsync(site, jql, ct), cancellationToken))
                .Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            return existing.Where(id => !inScope.Contains(id));
        }
        catch (JiraException ex) when (ex.Kind == JiraFailureKind.BadRequest)
        {
            // Data Center refuses the whole query when one of the issues was deleted since: keep them all this time.
            return [];
        }
    }

    /// <summary>Extends this Worker's lease on the run; a Worker that lost it stops before writing anything.</summary>
    private async Task RenewLeaseAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var expires = timeProvider.GetUtcNow() + options.Value.LeaseDuration;
        var renewed = await db.InTransactionAsync(ct => db.SyncJobs
            .Where(j => j.Id == jobId && j.LeaseOwner == worker.Name && j.Status == SyncJobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, expires), ct), cancellationToken);
        if (renewed == 0)
        {
            throw new SyncLeaseLostException(jobId);
        }
    }

    /// <summary>
    /// Runs a read of Jira, waiting out unavailability (a storm of 429s, an outage) that outlasts the client's own
    /// retries, with a doubling pause, for up to <see cref="SyncOptions.UnavailablePatience"/>.
    /// </summary>
    private async Task<T> PatientlyAsync<T>(Guid jobId, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var since = timeProvider.GetUtcNow();
        var backoff = options.Value.UnavailableBackoff;
        while (true)
        {
            try
            {
                return await read(cancellationToken);
            }
            catch (JiraException ex) when (ex.Kind == JiraFailureKind.Unavailable
                                           && timeProvider.GetUtcNow() - since < options.Value.UnavailablePatience)
            {
                LogWaitingForJira(logger, jobId, backoff, ex.Message);
                await Task.Delay(backoff, timeProvider, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.UnavailablePatience.Ticks));
            }
        }
    }

    /// <summary>Compares the page's stamps with the stored ones and fetches what differs (everything when rewriting).</summary>
    private async Task<List<SyncedIssueRow>> FetchChangedAsync(
        SyncJob job, JiraSite site, JiraStampPage page, bool rewrite, string? sprintFieldId, CancellationToken cancellationToken)
    {
        var ids = page.Issues.Select(i => long.Parse(i.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var stored = await db.InTransactionAsync(ct => store.ReadStampsAsync(job.ConnectionId, ids, ct), cancellationToken);
        var changed = page.Issues
            .Where(i => rewrite || !stored.TryGetValue(long.Parse(i.Id, System.Globalization.CultureInfo.InvariantCulture), out var at) || at != i.Updated)
            .Select(i => i.Id)
            .ToList();
        return await issues.ReadAsync(site, job.TenantId, job.ConnectionId, changed, sprintFieldId, cancellationToken);
    }

    /// <summary>
    /// Writes a page and its checkpoint in one transaction, renewing the lease; true when it was the last page and the
    /// run ended with it. A Worker that lost its lease writes nothing.
    /// </summary>
    private async Task<bool> CommitPageAsync(
        SyncJob job, IReadOnlyList<long> pageIds, List<SyncedIssueRow> rows,
        bool rewrite, string? nextCursor, bool isLast, UnseenIssues unseen, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async ct =>
        {
            var now = timeProvider.GetUtcNow();
            var current = await db.SyncJobs
                .FromSql($"SELECT * FROM sync_jobs WHERE id = {job.Id} FOR UPDATE")
                .AsNoTracking()
                .SingleAsync(ct);
            if (current.LeaseOwner != worker.Name || current.Status != SyncJobStatus.Running)
            {
                throw new SyncLeaseLostException(job.Id);
            }

            var written = await store.UpsertAsync(rows, job.Id, rewrite, now, ct);
            if (job.Mode == SyncMode.Full)
            {
                await store.MarkSeenAsync(job.ConnectionId, job.Id, pageIds, ct);
            }

            job.Pages++;
            job.IssuesSeen += pageIds.Count;
            job.IssuesWritten += written.Count;
            job.Cursor = nextCursor;
            job.Progress = job.IssuesExpected is > 0 and var total ? Math.Min(99, (int)(100L * job.IssuesSeen / total)) : 0;
            if (isLast)
            {
                await FinishAsync(job, unseen, ct);
            }

            job.Status = isLast ? SyncJobStatus.Succeeded : SyncJobStatus.Running;
            if (isLast || job.Progress >= _reportedProgress + ProgressEventStep)
            {
                _reportedProgress = job.Progress;
                await AppendEventAsync(job, isLast ? SyncEventTypes.Completed : SyncEventTypes.Progress, ct);
            }

            var (pages, seen, writtenTotal, cursor, progress, deleted, expected, held, leftScope) =
                (job.Pages, job.IssuesSeen, job.IssuesWritten, job.Cursor, job.Progress, job.Deleted, job.IssuesExpected, job.HeldDeletions, job.LeftScope);
            var status = job.Status;
            var leaseOwner = isLast ? null : worker.Name;
            DateTimeOffset? leaseExpires = isLast ? null : now + options.Value.LeaseDuration;
            DateTimeOffset? finishedAt = isLast ? now : null;
            await db.SyncJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Pages, pages)
                .SetProperty(j => j.IssuesExpected, expected)
                .SetProperty(j => j.IssuesSeen, seen)
                .SetProperty(j => j.IssuesWritten, writtenTotal)
                .SetProperty(j => j.Deleted, deleted)
                .SetProperty(j => j.HeldDeletions, held)
                .SetProperty(j => j.LeftScope, leftScope)
                .SetProperty(j => j.Cursor, cursor)
                .SetProperty(j => j.Progress, progress)
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.FinishedAt, finishedAt)
                .SetProperty(j => j.LeaseOwner, leaseOwner)
                .SetProperty(j => j.LeaseExpiresAt, leaseExpires), ct);
            await db.SaveChangesAsync(ct);
            return isLast;
        }, cancellationToken);

    /// <summary>
    /// The run's end, in the last page's transaction: for a full run, deletions confirmed by Jira (held for a person
    /// when they are a sharp drop) and issues that left the connection's scope; and the watermark of the connection's
    /// own scope. A run of another scope (a one-off narrower JQL) moves neither the watermark nor the scope that
    /// scheduled runs and later requests without a scope use.
    /// </summary>
    private async Task FinishAsync(SyncJob job, UnseenIssues unseen, CancellationToken cancellationToken)
    {
        if (job.Mode == SyncMode.Full)
        {
            // Both kinds count: a search index that answers nothing makes every issue look "outside the scope".
            var removals = unseen.Gone.Count + unseen.LeftScope.Count;
            var stored = await store.CountAsync(job.ConnectionId, cancellationToken);
            if (removals >= options.Value.HoldDeletionsFrom && removals > stored * options.Value.HoldDeletionsAboveShare)
            {
                job.HeldDeletions = [.. unseen.Gone, .. unseen.LeftScope];
                LogDeletionsHeld(logger, job.Id, removals, stored);
            }
            else
            {
                job.Deleted = await store.DeleteUnseenAsync(job.ConnectionId, job.Id, unseen.Gone, cancellationToken);
                job.LeftScope = await store.DeleteUnseenAsync(job.ConnectionId, job.Id, unseen.LeftScope, cancellationToken);
            }
        }

        job.Progress = 100;
        // The fingerprint is of what was walked: when the projects an empty scope stands for change, the next run is full.
        var (watermark, fingerprint, scope) = (job.WalkStartedAt, SyncScopes.Fingerprint(_walkScope), job.ScopeJql);
        await db.JiraConnections.Where(c => c.Id == job.ConnectionId && (c.SyncScopeJql == null || c.SyncScopeJql == scope))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.SyncWatermark, watermark)
                .SetProperty(c => c.SyncFingerprint, fingerprint)
                .SetProperty(c => c.SyncScopeJql, scope), cancellationToken);
    }

    private Task<SyncEvent> AppendEventAsync(SyncJob job, string eventName, CancellationToken cancellationToken) =>
        events.AppendAsync(new EventSubject(job.TenantId, SyncEventTypes.Aggregate, job.Id, job.ConnectionId), eventName, sequence => new SyncEvent(
            job.TenantId, job.Id, job.ConnectionId, sequence, job.Status.ToString().ToLowerInvariant(), job.Progress, job.IssuesSeen,
            job.IssuesWritten, job.Deleted, job.Error, job.HeldDeletions?.Length ?? 0), cancellationToken);


    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {JobId} started ({Mode}) over {Scope}")]
    private static partial void LogStarted(ILogger logger, Guid jobId, SyncMode mode, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {JobId} finished: {Seen} seen, {Written} written, {Deleted} deleted in {ElapsedMs} ms")]
    private static partial void LogFinished(ILogger logger, Guid jobId, int seen, int written, int deleted, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {JobId} is leased by {Owner}; waiting {Wait} for the lease to run out")]
    private static partial void LogWaitingForLease(ILogger logger, Guid jobId, string? owner, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync {JobId}: Jira is unavailable ({Reason}); reading the page again in {Wait}")]
    private static partial void LogWaitingForJira(ILogger logger, Guid jobId, TimeSpan wait, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync {JobId} would remove {Removals} of {Stored} stored issues (gone from Jira or outside the scope); the removals wait for a person to confirm them")]
    private static partial void LogDeletionsHeld(ILogger logger, Guid jobId, int removals, int stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync {JobId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync {JobId} goes on without the site's status list: {Reason}")]
    private static partial void LogStatusesUnread(ILogger logger, Guid jobId, string reason);
}

/// <summary>The stored issues a finished full walk did not see: gone from Jira, or (own scope only) outside the scope.</summary>
public sealed record UnseenIssues(IReadOnlyList<long> Gone, IReadOnlyList<long> LeftScope)
{
    public static UnseenIssues None { get; } = new([], []);
}

/// <summary>A failure no retry can mend; its message becomes the run's error.</summary>
public sealed class SyncFailedException(string message) : Exception(message);

/// <summary>Another Worker took the run over (this one stalled past its lease); this one stops without writing.</summary>
public sealed class SyncLeaseLostException(Guid jobId) : Exception($"Sync {jobId} is now leased by another Worker.");

/// <summary>The tenant already runs its share of syncs; the run waits its turn behind other tenants' runs.</summary>
public sealed class SyncDeferredException(Guid jobId) : Exception($"Sync {jobId} waits: its tenant already runs its share of syncs.");

/// <summary>Another Worker still holds the run; the message goes back to the queue.</summary>
public sealed class SyncLeaseHeldException(Guid jobId, string? owner) : Exception($"Sync {jobId} is still leased by {owner}.");
