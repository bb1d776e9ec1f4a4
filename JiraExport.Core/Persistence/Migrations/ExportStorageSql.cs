namespace JiraExport.Core.Persistence.Migrations;

/// <summary>
/// The hand-written SQL of the <c>ExportStorage</c> migration: files move from one <c>bytea</c> column into 1 MiB chunks
/// (content kept, SHA-256 computed), existing files get the default retention, and the retention sweep gets its narrow
/// cross-tenant function. The data copies run as the owner with the policies relaxed for the statement: FORCEd row-level
/// security would otherwise show the owner no rows.
/// </summary>
internal static class ExportStorageSql
{
    public const string CopyFilesIntoChunks = """
        ALTER TABLE export_files NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE export_file_chunks NO FORCE ROW LEVEL SECURITY;
        INSERT INTO export_file_chunks (export_id, chunk_index, tenant_id, data)
            SELECT f.export_id, c.i, f.tenant_id, substring(f.content FROM c.i * 1048576 + 1 FOR 1048576)
            FROM export_files f
            CROSS JOIN LATERAL generate_series(0, greatest(ceil(length(f.content) / 1048576.0)::int - 1, 0)) AS c(i)
            WHERE length(f.content) > 0;
        UPDATE export_files SET size_bytes = length(content), sha256 = encode(sha256(content), 'hex'), chunk_size = 1048576;
        ALTER TABLE export_files FORCE ROW LEVEL SECURITY;
        ALTER TABLE export_file_chunks FORCE ROW LEVEL SECURITY;
        """;

    public const string CopyChunksIntoFiles = """
        ALTER TABLE export_files NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE export_file_chunks NO FORCE ROW LEVEL SECURITY;
        UPDATE export_files f SET content = coalesce(
            (SELECT string_agg(c.data, ''::bytea ORDER BY c.chunk_index) FROM export_file_chunks c WHERE c.export_id = f.export_id), ''::bytea);
        ALTER TABLE export_files FORCE ROW LEVEL SECURITY;
        ALTER TABLE export_file_chunks FORCE ROW LEVEL SECURITY;
        """;

    /// <summary>Files stored before retention existed are kept the default 30 days from their completion.</summary>
    public const string ExpiresAtForExistingExports = """
        ALTER TABLE exports NO FORCE ROW LEVEL SECURITY;
        UPDATE exports SET expires_at = coalesce(completed_at, created_at) + interval '30 days'
            WHERE status = 'Succeeded' AND expires_at IS NULL;
        ALTER TABLE exports FORCE ROW LEVEL SECURITY;
        """;

    /// <summary>The retention sweep looks across tenants, which row-level security forbids the app role: this names the due files, nothing else.</summary>
    public const string CreateExpiredExportsFunction = """
        CREATE FUNCTION exports_past_retention(p_now timestamptz, p_limit int)
        RETURNS TABLE (tenant_id uuid, export_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT e.tenant_id, e.id FROM exports e
            WHERE e.status = 'Succeeded' AND e.expires_at <= p_now
            ORDER BY e.expires_at
            LIMIT p_limit
        $$;
        REVOKE ALL ON FUNCTION exports_past_retention(timestamptz, int) FROM PUBLIC;
        """;

    public const string DropExpiredExportsFunction = "DROP FUNCTION IF EXISTS exports_past_retention(timestamptz, int);";
}
