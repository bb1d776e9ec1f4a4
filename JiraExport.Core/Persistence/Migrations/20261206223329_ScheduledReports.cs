using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ScheduledReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "schedule_run_id",
                table: "exports",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "report_schedules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    jql = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    recipients = table.Column<List<string>>(type: "text[]", nullable: false),
                    attach_file = table.Column<bool>(type: "boolean", nullable: false),
                    notify_webhooks = table.Column<bool>(type: "boolean", nullable: false),
                    next_run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_schedules", x => x.id);
                    table.ForeignKey(
                        name: "FK_report_schedules_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_report_schedules_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "report_schedule_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    schedule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    export_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    mails_queued = table.Column<int>(type: "integer", nullable: false),
                    mails_sent = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_schedule_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_report_schedule_runs_exports_export_id",
                        column: x => x.export_id,
                        principalTable: "exports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_report_schedule_runs_report_schedules_schedule_id",
                        column: x => x.schedule_id,
                        principalTable: "report_schedules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_report_schedule_runs_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_report_schedule_runs_export_id",
                table: "report_schedule_runs",
                column: "export_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_report_schedule_runs_schedule_id_due_at",
                table: "report_schedule_runs",
                columns: new[] { "schedule_id", "due_at" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_report_schedule_runs_tenant_id",
                table: "report_schedule_runs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "IX_report_schedules_connection_id",
                table: "report_schedules",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "IX_report_schedules_next_run_at",
                table: "report_schedules",
                column: "next_run_at");

            migrationBuilder.CreateIndex(
                name: "IX_report_schedules_tenant_id_name",
                table: "report_schedules",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.EnableTenantIsolation("report_schedules");
            migrationBuilder.EnableTenantIsolation("report_schedule_runs");

            // The scheduler looks across tenants, which row-level security forbids the app role: a narrow function
            // names the schedules that are due, and nothing else.
            migrationBuilder.Sql("""
                CREATE FUNCTION report_schedules_due(p_now timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid, schedule_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT s.tenant_id, s.id FROM report_schedules s JOIN tenants t ON t.id = s.tenant_id
                    WHERE t.status = 'Active' AND s.next_run_at <= p_now
                    ORDER BY s.next_run_at
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION report_schedules_due(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS report_schedules_due(timestamptz, int);");
            migrationBuilder.DisableTenantIsolation("report_schedule_runs");
            migrationBuilder.DisableTenantIsolation("report_schedules");

            migrationBuilder.DropTable(
                name: "report_schedule_runs");

            migrationBuilder.DropTable(
                name: "report_schedules");

            migrationBuilder.DropColumn(
                name: "schedule_run_id",
                table: "exports");
        }
    }
}
