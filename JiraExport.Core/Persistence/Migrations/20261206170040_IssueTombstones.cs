using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IssueTombstones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "jira_issue_tombstones",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_issue_tombstones", x => new { x.tenant_id, x.connection_id, x.issue_id });
                    table.ForeignKey(
                        name: "FK_jira_issue_tombstones_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_jira_issue_tombstones_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jira_issue_tombstones_connection_id",
                table: "jira_issue_tombstones",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "IX_jira_issue_tombstones_tenant_id_deleted_at",
                table: "jira_issue_tombstones",
                columns: new[] { "tenant_id", "deleted_at" });

            migrationBuilder.EnableTenantIsolation("jira_issue_tombstones");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("jira_issue_tombstones");
            migrationBuilder.DropTable(
                name: "jira_issue_tombstones");
        }
    }
}
