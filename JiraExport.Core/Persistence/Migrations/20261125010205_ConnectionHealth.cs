using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConnectionHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "failover_base_urls",
                table: "jira_connections",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<string>(
                name: "health",
                table: "jira_connections",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Unknown");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "health_checked_at",
                table: "jira_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "health_report",
                table: "jira_connections",
                type: "jsonb",
                nullable: true);

            // The Worker's health monitor looks across tenants, which row-level security forbids the app role: a narrow
            // function names the connections due for a check, and nothing else.
            migrationBuilder.Sql("""
                CREATE FUNCTION connections_due_for_health_check(p_checked_before timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid, connection_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT c.tenant_id, c.id FROM jira_connections c JOIN tenants t ON t.id = c.tenant_id
                    WHERE t.status = 'Active' AND (c.health_checked_at IS NULL OR c.health_checked_at < p_checked_before)
                    ORDER BY c.health_checked_at NULLS FIRST
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION connections_due_for_health_check(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS connections_due_for_health_check(timestamptz, int);");

            migrationBuilder.DropColumn(
                name: "failover_base_urls",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "health",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "health_checked_at",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "health_report",
                table: "jira_connections");
        }
    }
}
