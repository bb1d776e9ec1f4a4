namespace JiraExport.Core.Storage;

/// <summary>What a stored file is called and what it holds, before it is written.</summary>
public sealed record ArtifactDescription(Guid ExportId, string FileName, string ContentType);

/// <summary>A stored file: its length, and the SHA-256 of its bytes (hex), which is its strong ETag.</summary>
public sealed record StoredArtifact(Guid ExportId, string FileName, string ContentType, long Length, string Sha256, DateTimeOffset CreatedAt)
{
    /// <summary>The quoted strong entity tag of the content (RFC 9110 §8.8.3).</summary>
    public string ETag => $"\"{Sha256}\"";
}

/// <summary>
/// Where export files live (one per export, keyed by the export's id), for the caller's tenant. Writes join the caller's
/// open tenant transaction, so a file commits together with the state that announces it, or not at all. Reads stream:
/// the returned stream is seekable and fetches only the pieces that are read, so a range costs what it covers.
/// </summary>
public interface IExportArtifactStore
{
    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) as the file of the export, replacing one stored before. Needs an
    /// open transaction on the tenant's <c>JiraExportDbContext</c>; the caller commits it.
    /// </summary>
    Task<StoredArtifact> WriteAsync(ArtifactDescription file, Stream content, CancellationToken cancellationToken);

    Task<StoredArtifact?> FindAsync(Guid exportId, CancellationToken cancellationToken);

    /// <summary>
    /// The file and a seekable stream over its bytes, or null when none is stored. Each piece is read in a short transaction
    /// of its own, so the stream outlives the request's transaction; dispose it when done.
    /// </summary>
    Task<(StoredArtifact File, Stream Content)?> OpenReadAsync(Guid exportId, CancellationToken cancellationToken);

    /// <summary>Deletes the export's file; returns the bytes freed (0 when there was none).</summary>
    Task<long> DeleteAsync(Guid exportId, CancellationToken cancellationToken);

    /// <summary>The bytes the tenant's stored files take.</summary>
    Task<long> StoredBytesAsync(CancellationToken cancellationToken);
}
