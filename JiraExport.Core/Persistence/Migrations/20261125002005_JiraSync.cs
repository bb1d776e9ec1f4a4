using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JiraSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sync_fingerprint",
                table: "jira_connections",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sync_scope_jql",
                table: "jira_connections",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sync_watermark",
                table: "jira_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "jira_issues",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    issue_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    status_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status_category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    priority = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    assignee_account_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    assignee_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fields = table.Column<string>(type: "jsonb", nullable: false),
                    changelog = table.Column<string>(type: "jsonb", nullable: false),
                    sync_revision = table.Column<int>(type: "integer", nullable: false),
                    last_seen_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_issues", x => new { x.tenant_id, x.connection_id, x.issue_id });
                    table.ForeignKey(
                        name: "FK_jira_issues_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_jira_issues_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scope_jql = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    progress = table.Column<int>(type: "integer", nullable: false),
                    issues_expected = table.Column<int>(type: "integer", nullable: true),
                    issues_seen = table.Column<int>(type: "integer", nullable: false),
                    issues_written = table.Column<int>(type: "integer", nullable: false),
                    deleted = table.Column<int>(type: "integer", nullable: false),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    cursor = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    walk_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    changed_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lease_owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_jobs", x => x.id);
                    table.ForeignKey(
                        name: "FK_sync_jobs_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_sync_jobs_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jira_status_transitions",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false),
                    history_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    from_status_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    from_status = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    to_status_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    to_status = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    author_account_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    author_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_status_transitions", x => new { x.tenant_id, x.connection_id, x.issue_id, x.history_id });
                    table.ForeignKey(
                        name: "FK_jira_status_transitions_jira_issues_tenant_id_connection_id~",
                        columns: x => new { x.tenant_id, x.connection_id, x.issue_id },
                        principalTable: "jira_issues",
                        principalColumns: new[] { "tenant_id", "connection_id", "issue_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jira_issues_connection_id",
                table: "jira_issues",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "IX_jira_issues_tenant_id_connection_id_key",
                table: "jira_issues",
                columns: new[] { "tenant_id", "connection_id", "key" });

            migrationBuilder.CreateIndex(
                name: "IX_jira_issues_tenant_id_connection_id_project_key_updated_iss~",
                table: "jira_issues",
                columns: new[] { "tenant_id", "connection_id", "project_key", "updated", "issue_id" });

            migrationBuilder.CreateIndex(
                name: "IX_jira_issues_tenant_id_connection_id_updated_issue_id",
                table: "jira_issues",
                columns: new[] { "tenant_id", "connection_id", "updated", "issue_id" });

            migrationBuilder.CreateIndex(
                name: "IX_jira_status_transitions_tenant_id_connection_id_at",
                table: "jira_status_transitions",
                columns: new[] { "tenant_id", "connection_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_jobs_one_active_per_connection",
                table: "sync_jobs",
                column: "connection_id",
                unique: true,
                filter: "status IN ('Queued', 'Running')");

            migrationBuilder.CreateIndex(
                name: "IX_sync_jobs_tenant_id_connection_id_created_at",
                table: "sync_jobs",
                columns: new[] { "tenant_id", "connection_id", "created_at" });

            migrationBuilder.EnableTenantIsolation("jira_issues");
            migrationBuilder.EnableTenantIsolation("jira_status_transitions");
            migrationBuilder.EnableTenantIsolation("sync_jobs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "jira_status_transitions");

            migrationBuilder.DropTable(
                name: "sync_jobs");

            migrationBuilder.DropTable(
                name: "jira_issues");

            migrationBuilder.DropColumn(
                name: "sync_fingerprint",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "sync_scope_jql",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "sync_watermark",
                table: "jira_connections");
        }
    }
}
