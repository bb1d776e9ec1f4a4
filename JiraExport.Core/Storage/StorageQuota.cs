using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Storage;

/// <summary>How much the tenant's stored export files take, against the plan's limit.</summary>
public sealed record StorageUsage(long UsedBytes, long LimitBytes)
{
    public bool IsFull => UsedBytes >= LimitBytes;

    public bool WouldExceed(long moreBytes) => UsedBytes + moreBytes > LimitBytes;
}

/// <summary>
/// The per-tenant storage quota: the plan's <c>MaxStoredMegabytes</c> (set by the platform admin) over the files the
/// artifact store holds. New exports are refused while the tenant is at it; a job whose file would pass it fails.
/// Runs inside the tenant's transaction.
/// </summary>
public sealed class StorageQuota(JiraExportDbContext db, IExportArtifactStore store)
{
    public const long BytesPerMegabyte = 1_000_000;

    public const string HowToFreeSpace =
        "Delete files you no longer need (DELETE /api/v1/exports/{id}/file), shorten the retention (PATCH /api/v1/tenant "
        + "with exportRetentionDays), or ask for a larger plan.";

    public async Task<StorageUsage> GetUsageAsync(CancellationToken cancellationToken)
    {
        var limit = await db.Tenants.Select(t => t.MaxStoredMegabytes).SingleAsync(cancellationToken);
        return new StorageUsage(await store.StoredBytesAsync(cancellationToken), limit * BytesPerMegabyte);
    }

    public static string Describe(StorageUsage usage) =>
        $"The tenant's stored files take {usage.UsedBytes:N0} bytes of the plan's {usage.LimitBytes:N0}.";
}
