namespace JiraExport.Core.Domain;

/// <summary>A resource clients change in place: its <see cref="Version"/> is its ETag, and If-Match on a write is checked against it.</summary>
public interface IVersionedResource
{
    /// <summary>
    /// Raised by every change saved through the DbContext (<see cref="Persistence.JiraExportDbContext"/>); bookkeeping
    /// written by raw SQL (the tenant's event sequence) leaves it, so background work does not stale a client's copy.
    /// </summary>
    int Version { get; set; }
}
