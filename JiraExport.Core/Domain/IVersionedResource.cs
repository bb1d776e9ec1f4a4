namespace JiraExport.Core.Domain;

/// <summary>A resource clients change in place: its <see cref="Version"/> is its ETag, and If-Match on a write is checked against it.</summary>
public interface IVersionedResource
{
    /// <summary>PostgreSQL's <c>xmin</c> of the row: it changes with every write of the row, by any process.</summary>
    uint Version { get; }
}
