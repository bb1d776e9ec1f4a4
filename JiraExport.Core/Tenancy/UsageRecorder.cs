using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Tenancy;

/// <summary>
/// Counts usage durably in the caller's tenant transaction — an atomic upsert into the day's row — and announces it
/// through the outbox in the same transaction, so the count and the billing event stand or fall together.
/// </summary>
public sealed class UsageRecorder(JiraExportDbContext db, OutboxWriter outbox, TimeProvider timeProvider)
{
    public Task RecordExportAsync(Guid exportId, int pages, long bytes, CancellationToken cancellationToken) =>
        RecordAsync(new UsageRecorded(Tenant, Today, UsageKinds.Export, 1, pages, bytes, exportId, timeProvider.GetUtcNow()),
            apiRequests: 0, exports: 1, pages, bytes, syncRuns: 0, previews: 0, cancellationToken);

    public Task RecordApiRequestsAsync(long count, CancellationToken cancellationToken) =>
        RecordAsync(new UsageRecorded(Tenant, Today, UsageKinds.ApiRequests, count, null, null, null, timeProvider.GetUtcNow()),
            apiRequests: count, exports: 0, pages: 0, bytes: 0, syncRuns: 0, previews: 0, cancellationToken);

    /// <summary>Requests per person or API key and endpoint (<see cref="Domain.PrincipalUsageDay"/>), added to today's rows.</summary>
    public async Task RecordPrincipalRequestsAsync(
        IReadOnlyList<(Guid PrincipalId, string Kind, string Endpoint, long Requests)> requests, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return;
        }

        Guid[] principals = [.. requests.Select(r => r.PrincipalId)];
        string[] kinds = [.. requests.Select(r => r.Kind)];
        string[] endpoints = [.. requests.Select(r => r.Endpoint)];
        long[] counts = [.. requests.Select(r => r.Requests)];
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO principal_usage_days (tenant_id, day, principal_id, principal_kind, endpoint, requests)
            SELECT {Tenant}, {Today}, u.principal_id, u.kind, u.endpoint, u.requests
            FROM unnest({principals}, {kinds}, {endpoints}, {counts}) AS u(principal_id, kind, endpoint, requests)
            ON CONFLICT (tenant_id, day, principal_id, endpoint) DO UPDATE SET requests = principal_usage_days.requests + EXCLUDED.requests
            """, cancellationToken);
    }

    /// <summary>A sync run queued (by a person, a schedule or a retry of neither): counted once, where it is created.</summary>
    public Task RecordSyncRunAsync(CancellationToken cancellationToken) =>
        RecordAsync(new UsageRecorded(Tenant, Today, UsageKinds.SyncRun, 1, null, null, null, timeProvider.GetUtcNow()),
            apiRequests: 0, exports: 0, pages: 0, bytes: 0, syncRuns: 1, previews: 0, cancellationToken);

    /// <summary>A template preview queued: counted where it is requested, since the preview itself is deleted once answered.</summary>
    public Task RecordPreviewAsync(CancellationToken cancellationToken) =>
        RecordAsync(new UsageRecorded(Tenant, Today, UsageKinds.Preview, 1, null, null, null, timeProvider.GetUtcNow()),
            apiRequests: 0, exports: 0, pages: 0, bytes: 0, syncRuns: 0, previews: 1, cancellationToken);

    private async Task RecordAsync(
        UsageRecorded usage, long apiRequests, int exports, int pages, long bytes, int syncRuns, int previews, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Usage is recorded inside the tenant's transaction.");
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO tenant_usage_days (tenant_id, day, api_requests, exports, rendered_pages, stored_bytes, sync_runs, previews)
            VALUES ({usage.TenantId}, {usage.Day}, {apiRequests}, {exports}, {pages}, {bytes}, {syncRuns}, {previews})
            ON CONFLICT (tenant_id, day) DO UPDATE SET
                api_requests = tenant_usage_days.api_requests + EXCLUDED.api_requests,
                exports = tenant_usage_days.exports + EXCLUDED.exports,
                rendered_pages = tenant_usage_days.rendered_pages + EXCLUDED.rendered_pages,
                stored_bytes = tenant_usage_days.stored_bytes + EXCLUDED.stored_bytes,
                sync_runs = tenant_usage_days.sync_runs + EXCLUDED.sync_runs,
                previews = tenant_usage_days.previews + EXCLUDED.previews
            """, cancellationToken);
        outbox.Enqueue(MessagingTopology.EventsExchange,
            MessagingTopology.EventRoutingKey(usage.TenantId, UsageKinds.Aggregate, UsageKinds.Recorded), usage);
    }

    private Guid Tenant => db.TenantId ?? throw new InvalidOperationException("No tenant is set.");

    private DateOnly Today => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
}
