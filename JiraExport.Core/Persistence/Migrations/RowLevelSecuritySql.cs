using Microsoft.EntityFrameworkCore.Migrations;

namespace JiraExport.Core.Persistence.Migrations;

/// <summary>
/// The one row-level-security policy every tenant-owned table gets, FORCEd so even the owner obeys it. The tenant
/// comes from <c>app.tenant_id</c>, set per transaction; with none set, nothing is visible.
/// </summary>
internal static class RowLevelSecuritySql
{
    private const string CurrentTenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

    public static void EnableTenantIsolation(this MigrationBuilder migrationBuilder, string table, string column = "tenant_id") =>
        migrationBuilder.Sql($"""
            ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
            ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON {table}
                USING ({column} = {CurrentTenant})
                WITH CHECK ({column} = {CurrentTenant});
            """);

    public static void DisableTenantIsolation(this MigrationBuilder migrationBuilder, string table) =>
        migrationBuilder.Sql($"""
            DROP POLICY IF EXISTS tenant_isolation ON {table};
            ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
            ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
            """);
}
