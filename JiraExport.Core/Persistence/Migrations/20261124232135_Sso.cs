using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Sso : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tenant_sso_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    oidc_authority = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    oidc_client_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    oidc_client_secret_protected = table.Column<string>(type: "text", nullable: true),
                    saml_idp_entity_id = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    saml_sso_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    saml_signing_certificate = table.Column<byte[]>(type: "bytea", nullable: true),
                    provision_users = table.Column<bool>(type: "boolean", nullable: false),
                    provisioned_role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    return_urls = table.Column<List<string>>(type: "text[]", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_sso_settings", x => x.tenant_id);
                    table.ForeignKey(
                        name: "FK_tenant_sso_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.EnableTenantIsolation("tenant_sso_settings");

            // The SSO routes name the tenant by slug and run before anyone is signed in.
            migrationBuilder.Sql("""
                CREATE FUNCTION find_tenant_by_slug(p_slug text)
                RETURNS TABLE (tenant_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT t.id FROM tenants t WHERE t.slug = p_slug
                $$;
                REVOKE ALL ON FUNCTION find_tenant_by_slug(text) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS find_tenant_by_slug(text);");
            migrationBuilder.DropTable(
                name: "tenant_sso_settings");
        }
    }
}
