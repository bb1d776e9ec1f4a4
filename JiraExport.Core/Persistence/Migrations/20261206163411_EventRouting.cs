using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EventRouting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tenant_event_routing",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rules = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_event_routing", x => x.tenant_id);
                    table.ForeignKey(
                        name: "FK_tenant_event_routing_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.EnableTenantIsolation("tenant_event_routing");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("tenant_event_routing");
            migrationBuilder.DropTable(
                name: "tenant_event_routing");
        }
    }
}
