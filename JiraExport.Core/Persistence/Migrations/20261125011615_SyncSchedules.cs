using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SyncSchedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sync_schedules",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reconcile_cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    time_zone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    scope_jql = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    next_run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_reconcile_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_schedules", x => x.connection_id);
                    table.ForeignKey(
                        name: "FK_sync_schedules_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_sync_schedules_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_sync_schedules_next_run_at",
                table: "sync_schedules",
                column: "next_run_at");

            migrationBuilder.CreateIndex(
                name: "IX_sync_schedules_tenant_id",
                table: "sync_schedules",
                column: "tenant_id");

            migrationBuilder.EnableTenantIsolation("sync_schedules");

            // The scheduler looks across tenants, which row-level security forbids the app role: a narrow function
            // names the schedules that are due, and nothing else.
            migrationBuilder.Sql("""
                CREATE FUNCTION sync_schedules_due(p_now timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid, connection_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT s.tenant_id, s.connection_id FROM sync_schedules s JOIN tenants t ON t.id = s.tenant_id
                    WHERE t.status = 'Active' AND (s.next_run_at <= p_now OR s.next_reconcile_at <= p_now)
                    ORDER BY least(s.next_run_at, coalesce(s.next_reconcile_at, s.next_run_at))
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION sync_schedules_due(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS sync_schedules_due(timestamptz, int);");

            migrationBuilder.DropTable(
                name: "sync_schedules");
        }
    }
}
