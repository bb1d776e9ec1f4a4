using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Quotas;

/// <summary>The plan's quotas on what a tenant keeps and makes; checked inside the request's tenant transaction.</summary>
public sealed class TenantQuotas(JiraExportDbContext db, StorageQuota storage, IHttpContextAccessor httpContextAccessor, TimeProvider timeProvider)
{
    public const string Connections = "connections";
    public const string ExportsPerDay = "exports-per-day";
    public const string StoredMegabytes = "stored-megabytes";
    public const string ApiRequestsPerMinute = "api-requests-per-minute";
    public const string PreviewsPerDay = "previews-per-day";
    public const string PreviewsAtOnce = "previews-at-once";

    /// <summary>Previews one tenant may have rendering at once: each holds a request open and a Chromium page.</summary>
    public const int MaxPreviewsAtOnce = 2;

    public async Task<ProblemHttpResult?> CheckNewConnectionAsync(CancellationToken cancellationToken)
    {
        var limit = await db.Tenants.Select(t => t.MaxConnections).SingleAsync(cancellationToken);
        return await db.JiraConnections.CountAsync(cancellationToken) < limit
            ? null
            : QuotaProblems.Exceeded(Http, Connections, limit, resetsAt: null,
                $"The plan allows {limit} Jira connections; delete one or ask for a larger plan.");
    }

    public async Task<ProblemHttpResult?> CheckNewExportAsync(CancellationToken cancellationToken)
    {
        await LockTenantAsync(cancellationToken);
        var plan = await db.Tenants.Select(t => new { t.MaxExportsPerDay, t.MaxStoredMegabytes }).SingleAsync(cancellationToken);
        var (_, nextDay) = Today();
        if (await ExportsTodayAsync(cancellationToken) >= plan.MaxExportsPerDay)
        {
            return QuotaProblems.Exceeded(Http, ExportsPerDay, plan.MaxExportsPerDay, nextDay,
                $"The plan allows {plan.MaxExportsPerDay} exports per day (UTC); the count starts again at {nextDay:u}.");
        }

        var usage = await storage.GetUsageAsync(cancellationToken);
        return !usage.IsFull
            ? null
            : QuotaProblems.Exceeded(Http, StoredMegabytes, plan.MaxStoredMegabytes, resetsAt: null,
                $"{StorageQuota.Describe(usage)} New exports wait until there is room. {StorageQuota.HowToFreeSpace}",
                new Dictionary<string, object?> { ["usedBytes"] = usage.UsedBytes, ["limitBytes"] = usage.LimitBytes });
    }

    /// <summary>
    /// A preview renders like an export but is never stored: at most <see cref="MaxPreviewsAtOnce"/> at a time, and as
    /// many a day as the plan allows exports (counted in the usage row, since answered previews are deleted).
    /// </summary>
    public async Task<ProblemHttpResult?> CheckNewPreviewAsync(CancellationToken cancellationToken)
    {
        await LockTenantAsync(cancellationToken);
        if (await db.Exports.CountAsync(e => e.IsPreview && (e.Status == ExportStatus.Queued || e.Status == ExportStatus.Running), cancellationToken)
            >= MaxPreviewsAtOnce)
        {
            // Previews finish within their 90-second deadline; a few seconds is the useful wait.
            return QuotaProblems.Exceeded(Http, PreviewsAtOnce, MaxPreviewsAtOnce, timeProvider.GetUtcNow().AddSeconds(5),
                $"{MaxPreviewsAtOnce} previews are rendering for this tenant; wait for one to finish.");
        }

        var limit = await db.Tenants.Select(t => t.MaxExportsPerDay).SingleAsync(cancellationToken);
        var (dayStart, nextDay) = Today();
        var today = DateOnly.FromDateTime(dayStart.UtcDateTime);
        var previews = await db.TenantUsageDays.Where(u => u.Day == today).Select(u => u.Previews).SingleOrDefaultAsync(cancellationToken);
        return previews < limit
            ? null
            : QuotaProblems.Exceeded(Http, PreviewsPerDay, limit, nextDay,
                $"The plan allows {limit} previews per day (UTC), as many as exports; the count starts again at {nextDay:u}.");
    }

    /// <summary>
    /// The exports requested today (UTC), as the daily quota counts them and the usage shows them: a bulk export counts
    /// once, as the request it is; its parts are not requests of their own.
    /// </summary>
    public Task<int> ExportsTodayAsync(CancellationToken cancellationToken)
    {
        var (dayStart, _) = Today();
        return db.CountSinceAsync(dayStart, cancellationToken);
    }

    /// <summary>
    /// Holds the tenant's row until the request's transaction ends, so concurrent requests of one tenant count what the
    /// others added instead of all passing a count taken at the same moment. Not <c>FOR UPDATE</c>: every row written
    /// with the tenant's id checks its foreign key with <c>FOR KEY SHARE</c>, which <c>FOR UPDATE</c> blocks — a sign-in
    /// would wait behind an export request that waits for the audit trail, and deadlock with a download writing to it.
    /// </summary>
    private Task LockTenantAsync(CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM tenants WHERE id = {db.TenantId} FOR NO KEY UPDATE", cancellationToken);

    /// <summary>The bytes the tenant's stored files take (expired and deleted files no longer count).</summary>
    public async Task<long> StoredBytesAsync(CancellationToken cancellationToken) => (await storage.GetUsageAsync(cancellationToken)).UsedBytes;

    public (DateTimeOffset Start, DateTimeOffset Next) Today()
    {
        var start = new DateTimeOffset(timeProvider.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        return (start, start.AddDays(1));
    }

    private HttpContext Http => httpContextAccessor.HttpContext ?? throw new InvalidOperationException("No request.");
}
