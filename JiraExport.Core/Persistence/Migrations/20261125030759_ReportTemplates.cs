using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReportTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_preview",
                table: "exports",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "template_id",
                table: "exports",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "template_version_id",
                table: "exports",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "report_templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    draft_liquid = table.Column<string>(type: "text", nullable: false),
                    draft_css = table.Column<string>(type: "text", nullable: false),
                    draft_assets = table.Column<string>(type: "jsonb", nullable: false),
                    copied_from = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    latest_version = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_templates", x => x.id);
                    table.ForeignKey(
                        name: "FK_report_templates_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tenant_branding",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    company_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    logo_data_url = table.Column<string>(type: "text", nullable: true),
                    primary_color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    accent_color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    font_family = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    header_text = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    footer_text = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_branding", x => x.tenant_id);
                    table.ForeignKey(
                        name: "FK_tenant_branding_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "report_template_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    liquid = table.Column<string>(type: "text", nullable: false),
                    css = table.Column<string>(type: "text", nullable: false),
                    assets = table.Column<string>(type: "jsonb", nullable: false),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    published_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_template_versions", x => x.id);
                    table.ForeignKey(
                        name: "FK_report_template_versions_report_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "report_templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_report_template_versions_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_exports_template_id",
                table: "exports",
                column: "template_id");

            migrationBuilder.CreateIndex(
                name: "IX_exports_template_version_id",
                table: "exports",
                column: "template_version_id");

            migrationBuilder.CreateIndex(
                name: "IX_report_template_versions_template_id_version",
                table: "report_template_versions",
                columns: new[] { "template_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_report_template_versions_tenant_id",
                table: "report_template_versions",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "IX_report_templates_tenant_id_name",
                table: "report_templates",
                columns: new[] { "tenant_id", "name" },
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.AddForeignKey(
                name: "FK_exports_report_template_versions_template_version_id",
                table: "exports",
                column: "template_version_id",
                principalTable: "report_template_versions",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_exports_report_templates_template_id",
                table: "exports",
                column: "template_id",
                principalTable: "report_templates",
                principalColumn: "id");

            foreach (var table in new[] { "report_templates", "report_template_versions", "tenant_branding" })
            {
                migrationBuilder.EnableTenantIsolation(table);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_exports_report_template_versions_template_version_id",
                table: "exports");

            migrationBuilder.DropForeignKey(
                name: "FK_exports_report_templates_template_id",
                table: "exports");

            migrationBuilder.DropTable(
                name: "report_template_versions");

            migrationBuilder.DropTable(
                name: "tenant_branding");

            migrationBuilder.DropTable(
                name: "report_templates");

            migrationBuilder.DropIndex(
                name: "IX_exports_template_id",
                table: "exports");

            migrationBuilder.DropIndex(
                name: "IX_exports_template_version_id",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "is_preview",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "template_id",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "template_version_id",
                table: "exports");
        }
    }
}
