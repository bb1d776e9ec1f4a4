using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <summary>
    /// Tenant status and purge time. Finding the tenants due for purge looks across tenants, so it is a narrow
    /// SECURITY DEFINER function, as the other lookups that run before a tenant is known.
    /// </summary>
    public partial class TenantLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "purge_after",
                table: "tenants",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "tenants",
                type: "character varying(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "Active");

            migrationBuilder.Sql("""
                CREATE FUNCTION tenants_due_for_purge()
                RETURNS TABLE (tenant_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT t.id FROM tenants t WHERE t.status = 'DeletionScheduled' AND t.purge_after <= now()
                $$;
                REVOKE ALL ON FUNCTION tenants_due_for_purge() FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenants_due_for_purge();");
            migrationBuilder.DropColumn(
                name: "purge_after",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "status",
                table: "tenants");
        }
    }
}
