using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyAndResourceVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "tenant_branding",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "report_templates",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "jira_connections",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "idempotent_requests",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    fingerprint = table.Column<string>(type: "text", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    location = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    protected_response = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotent_requests", x => new { x.tenant_id, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_idempotent_requests_tenant_id_expires_at",
                table: "idempotent_requests",
                columns: new[] { "tenant_id", "expires_at" });

            migrationBuilder.EnableTenantIsolation("idempotent_requests");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("idempotent_requests");

            migrationBuilder.DropTable(
                name: "idempotent_requests");

            migrationBuilder.DropColumn(
                name: "version",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "version",
                table: "tenant_branding");

            migrationBuilder.DropColumn(
                name: "version",
                table: "report_templates");

            migrationBuilder.DropColumn(
                name: "version",
                table: "jira_connections");
        }
    }
}
