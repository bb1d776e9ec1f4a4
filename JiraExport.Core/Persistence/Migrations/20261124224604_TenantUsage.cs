using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <summary>Durable usage per tenant and UTC day, tenant-owned under row-level security.</summary>
    public partial class TenantUsage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tenant_usage_days",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    api_requests = table.Column<long>(type: "bigint", nullable: false),
                    exports = table.Column<int>(type: "integer", nullable: false),
                    rendered_pages = table.Column<int>(type: "integer", nullable: false),
                    stored_bytes = table.Column<long>(type: "bigint", nullable: false),
                    sync_runs = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_usage_days", x => new { x.tenant_id, x.day });
                    table.ForeignKey(
                        name: "FK_tenant_usage_days_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.EnableTenantIsolation("tenant_usage_days");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tenant_usage_days");
        }
    }
}
