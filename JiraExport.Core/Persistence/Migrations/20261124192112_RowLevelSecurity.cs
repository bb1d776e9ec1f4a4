using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <summary>
    /// Row-level security on every tenant-owned table (see <see cref="RowLevelSecuritySql"/>). The API-key lookup runs
    /// before a tenant is known, so it is a narrow SECURITY DEFINER function instead of an open table.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        private static readonly (string Table, string Column)[] TenantOwnedTables =
        [
            ("tenants", "id"),
            ("api_keys", "tenant_id"),
            ("jira_connections", "tenant_id"),
            ("exports", "tenant_id"),
            ("export_files", "tenant_id"),
            ("domain_events", "tenant_id"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column) in TenantOwnedTables)
            {
                migrationBuilder.EnableTenantIsolation(table, column);
            }

            migrationBuilder.Sql("""
                CREATE FUNCTION find_api_key(p_secret_hash bytea)
                RETURNS TABLE (tenant_id uuid, api_key_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT k.tenant_id, k.id FROM api_keys k
                    WHERE k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
                $$;
                REVOKE ALL ON FUNCTION find_api_key(bytea) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS find_api_key(bytea);");
            foreach (var (table, _) in TenantOwnedTables)
            {
                migrationBuilder.DisableTenantIsolation(table);
            }
        }
    }
}
