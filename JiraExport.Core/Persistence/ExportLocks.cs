using JiraExport.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Persistence;

/// <summary>Row locks and bulk updates on exports that the Api (cancel) and the Worker (bulk jobs) share.</summary>
public static class ExportLocks
{
    /// <summary>
    /// The export, locked (<c>FOR NO KEY UPDATE</c>) until the caller's transaction ends, with its current values even when
    /// the context already tracked an older copy. Cancelling and the bulk jobs take this lock, so they never interleave.
    /// Not <c>FOR UPDATE</c>: a part's row changes check its foreign key to the parent with <c>FOR KEY SHARE</c>, which
    /// <c>FOR UPDATE</c> on the parent would block — a deadlock with a cancel that waits for that part's row.
    /// </summary>
    public static async Task<Export?> LockExportAsync(this JiraExportDbContext db, Guid exportId, CancellationToken cancellationToken)
    {
        var export = await db.Exports.FromSql($"SELECT * FROM exports WHERE id = {exportId} FOR NO KEY UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (export is not null)
        {
            await db.Entry(export).ReloadAsync(cancellationToken);
        }

        return export;
    }

    /// <summary>Cancels every part of a bulk export that has not finished; a queued part's job is then skipped when it arrives.</summary>
    public static Task<int> CancelUnfinishedPartsAsync(this JiraExportDbContext db, Guid parentExportId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Exports
            .Where(e => e.ParentExportId == parentExportId && (e.Status == ExportStatus.Queued || e.Status == ExportStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExportStatus.Cancelled).SetProperty(e => e.CompletedAt, now), cancellationToken);
}
