using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PdfFinishing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "requested_by",
                table: "exports",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tenant_pdf_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    watermark_policy = table.Column<string>(type: "jsonb", nullable: true),
                    signing_certificate_protected = table.Column<string>(type: "text", nullable: true),
                    signing_certificate_subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    signing_certificate_issuer = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    signing_certificate_thumbprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    signing_certificate_not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    signing_certificate_not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_pdf_settings", x => x.tenant_id);
                    table.ForeignKey(
                        name: "FK_tenant_pdf_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.EnableTenantIsolation("tenant_pdf_settings");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tenant_pdf_settings");

            migrationBuilder.DropColumn(
                name: "requested_by",
                table: "exports");
        }
    }
}
