using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Persistence;

/// <summary>What counts against the plan's exports per day: whole exports (a bulk export once, not its parts), no previews.</summary>
public static class ExportCounts
{
    public static Task<int> CountSinceAsync(this JiraExportDbContext db, DateTimeOffset dayStart, CancellationToken cancellationToken) =>
        db.Exports.CountAsync(e => e.CreatedAt >= dayStart && e.ParentExportId == null && !e.IsPreview, cancellationToken);
}
