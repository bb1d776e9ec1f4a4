using System.Buffers;
using System.Security.Cryptography;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace JiraExport.Core.Storage;

/// <summary>
/// Export files in PostgreSQL: a row in <c>export_files</c> (name, type, length, SHA-256) and the bytes in
/// <c>export_file_chunks</c> of <see cref="ChunkSize"/> each. Row-level security keeps every tenant to its own files.
/// </summary>
public sealed class PostgresArtifactStore(JiraExportDbContext db, TimeProvider timeProvider) : IExportArtifactStore
{
    /// <summary>1 MiB: few rows for a large file, little memory for a reader that holds one piece.</summary>
    public const int ChunkSize = 1 << 20;

    public async Task<StoredArtifact> WriteAsync(ArtifactDescription file, Stream content, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("An export file is written inside the tenant's transaction, so it commits with the export's state.");
        var tenantId = db.TenantId ?? throw new InvalidOperationException("No tenant is set.");
        var connection = transaction.Connection!;
        var createdAt = timeProvider.GetUtcNow();

        await DeleteAsync(file.ExportId, cancellationToken);
        // The file row comes first (the chunks reference it); its length and hash are filled in once all is written.
        await ExecuteAsync(connection, transaction, """
            INSERT INTO export_files (export_id, tenant_id, file_name, content_type, size_bytes, sha256, chunk_size, created_at)
            VALUES (@export, @tenant, @name, @type, 0, '', @chunk, @created)
            """, cancellationToken,
            ("export", file.ExportId), ("tenant", tenantId), ("name", file.FileName), ("type", file.ContentType), ("chunk", ChunkSize), ("created", createdAt));

        await using var insert = new NpgsqlCommand(
            "INSERT INTO export_file_chunks (export_id, chunk_index, tenant_id, data) VALUES (@export, @index, @tenant, @data)", connection, transaction);
        insert.Parameters.AddWithValue("export", file.ExportId);
        var index = insert.Parameters.AddWithValue("index", 0);
        insert.Parameters.AddWithValue("tenant", tenantId);
        var data = insert.Parameters.Add("data", NpgsqlDbType.Bytea);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Pooled, and no larger than the content: a fresh 1 MiB buffer per file is a large-object allocation, and a bulk
        // export storing a small PDF several times a second spent its time in the full collections those caused.
        var pieceSize = content.CanSeek ? (int)Math.Clamp(content.Length - content.Position, 1, ChunkSize) : ChunkSize;
        var buffer = ArrayPool<byte>.Shared.Rent(pieceSize);
        long length = 0;
        try
        {
            for (var chunk = 0; ; chunk++)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, pieceSize), pieceSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                index.Value = chunk;
                data.Value = new ArraySegment<byte>(buffer, 0, read);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                length += read;
                if (read < pieceSize)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        await ExecuteAsync(connection, transaction, "UPDATE export_files SET size_bytes = @size, sha256 = @sha WHERE export_id = @export",
            cancellationToken, ("size", length), ("sha", sha256), ("export", file.ExportId));
        return new StoredArtifact(file.ExportId, file.FileName, file.ContentType, length, sha256, createdAt);
    }

    public async Task<StoredArtifact?> FindAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var file = await db.ExportFiles.AsNoTracking().SingleOrDefaultAsync(f => f.ExportId == exportId, cancellationToken);
        return file is null ? null : new StoredArtifact(file.ExportId, file.FileName, file.ContentType, file.SizeBytes, file.Sha256, file.CreatedAt);
    }

    public async Task<(StoredArtifact File, Stream Content)?> OpenReadAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var file = await db.ExportFiles.AsNoTracking().SingleOrDefaultAsync(f => f.ExportId == exportId, cancellationToken);
        if (file is null)
        {
            return null;
        }

        var artifact = new StoredArtifact(file.ExportId, file.FileName, file.ContentType, file.SizeBytes, file.Sha256, file.CreatedAt);
        return (artifact, new ChunkedArtifactStream(file.SizeBytes, file.ChunkSize, (index, buffer, ct) => ReadChunkAsync(exportId, index, buffer, ct)));
    }

    public async Task<long> DeleteAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var size = await db.ExportFiles.Where(f => f.ExportId == exportId).Select(f => (long?)f.SizeBytes).SingleOrDefaultAsync(cancellationToken);
        if (size is null)
        {
            return 0;
        }

        // The chunks go with the file row (ON DELETE CASCADE).
        await db.ExportFiles.Where(f => f.ExportId == exportId).ExecuteDeleteAsync(cancellationToken);
        return size.Value;
    }

    public async Task<long> StoredBytesAsync(CancellationToken cancellationToken) =>
        await db.ExportFiles.SumAsync(f => (long?)f.SizeBytes, cancellationToken) ?? 0;

    /// <summary>Reads one piece into <paramref name="buffer"/> in a transaction of its own; returns its length.</summary>
    private async Task<int> ReadChunkAsync(Guid exportId, int index, byte[] buffer, CancellationToken cancellationToken)
    {
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
            int length;
            await using (var select = new NpgsqlCommand(
                "SELECT data FROM export_file_chunks WHERE export_id = @export AND chunk_index = @index", transaction.Connection, transaction))
            {
                select.Parameters.AddWithValue("export", exportId);
                select.Parameters.AddWithValue("index", index);
                await using var reader = await select.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    throw new IOException($"Piece {index} of the file of export {exportId} is missing; the file was deleted while it was read.");
                }

                length = (int)reader.GetBytes(0, 0, buffer, 0, buffer.Length);
            }

            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
            }

            return length;
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
