using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UsagePerPersonAndIssueCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Built without blocking the syncs that write jira_issues meanwhile, so outside a transaction; first, so that a
            // crash after it leaves the rest (and the history row) to one transaction, and running again skips it.
            migrationBuilder.Sql(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"IX_jira_issues_tenant_id_status_category_synced_at\" ON jira_issues (tenant_id, status_category, synced_at);",
                suppressTransaction: true);

            migrationBuilder.AddColumn<Guid>(
                name: "requested_by_id",
                table: "exports",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "principal_usage_days",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    principal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    endpoint = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    principal_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_principal_usage_days", x => new { x.tenant_id, x.day, x.principal_id, x.endpoint });
                    table.ForeignKey(
                        name: "FK_principal_usage_days_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.EnableTenantIsolation("principal_usage_days");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("principal_usage_days");
            migrationBuilder.DropTable(
                name: "principal_usage_days");

            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS \"IX_jira_issues_tenant_id_status_category_synced_at\";", suppressTransaction: true);

            migrationBuilder.DropColumn(
                name: "requested_by_id",
                table: "exports");
        }
    }
}
