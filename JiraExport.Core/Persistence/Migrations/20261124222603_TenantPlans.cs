using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <summary>Each tenant's plan: its name and quotas (connections, exports per day, stored MB, API requests per minute).</summary>
    public partial class TenantPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_api_requests_per_minute",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 1200);

            migrationBuilder.AddColumn<int>(
                name: "max_connections",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<int>(
                name: "max_exports_per_day",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 500);

            migrationBuilder.AddColumn<int>(
                name: "max_stored_megabytes",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 2048);

            migrationBuilder.AddColumn<string>(
                name: "plan_name",
                table: "tenants",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                defaultValue: "standard");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "max_api_requests_per_minute",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "max_connections",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "max_exports_per_day",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "max_stored_megabytes",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "plan_name",
                table: "tenants");
        }
    }
}
