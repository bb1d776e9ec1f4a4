using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <summary>Per-tenant settings: MFA required, the session limit and what it does, branding and defaults.</summary>
    public partial class TenantSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "brand_color",
                table: "tenants",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "default_template",
                table: "tenants",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "max_sessions_per_user",
                table: "tenants",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "require_mfa",
                table: "tenants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "session_limit_action",
                table: "tenants",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "RefuseNew");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "brand_color",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "default_template",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "max_sessions_per_user",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "require_mfa",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "session_limit_action",
                table: "tenants");
        }
    }
}
