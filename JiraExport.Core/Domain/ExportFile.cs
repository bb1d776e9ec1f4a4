namespace JiraExport.Core.Domain;

/// <summary>
/// The stored file of an export; one per export (the export id is the key). Its bytes live in
/// <see cref="ExportFileChunk"/> rows of <see cref="ChunkSize"/> bytes, so writes, reads and ranges stream.
/// </summary>
public sealed class ExportFile
{
    public Guid ExportId { get; set; }
    public Guid TenantId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>SHA-256 of the content, lower-case hex: the strong ETag of downloads.</summary>
    public required string Sha256 { get; set; }
    public int ChunkSize { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One piece of an <see cref="ExportFile"/>: bytes [<c>ChunkIndex * ChunkSize</c>, …) of it.</summary>
public sealed class ExportFileChunk
{
    public Guid ExportId { get; set; }
    public int ChunkIndex { get; set; }
    public Guid TenantId { get; set; }
    public required byte[] Data { get; set; }
}
