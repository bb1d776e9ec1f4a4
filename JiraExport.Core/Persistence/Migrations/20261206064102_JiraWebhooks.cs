using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JiraWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_webhook_at",
                table: "jira_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "webhook_secret_protected",
                table: "jira_connections",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "jira_webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    identifier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(100)", maxLength: 100, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    body_sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_jira_webhook_deliveries_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_jira_webhook_deliveries_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jira_webhook_deliveries_connection_id_body_sha256",
                table: "jira_webhook_deliveries",
                columns: new[] { "connection_id", "body_sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_jira_webhook_deliveries_connection_id_identifier",
                table: "jira_webhook_deliveries",
                columns: new[] { "connection_id", "identifier" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_jira_webhook_deliveries_tenant_id",
                table: "jira_webhook_deliveries",
                column: "tenant_id");

            migrationBuilder.EnableTenantIsolation("jira_webhook_deliveries");

            // A delivery arrives anonymous, before any tenant is known: a narrow function names the connection's tenant and
            // its encrypted secret (readable only with that tenant's key), for active tenants only, and nothing else.
            migrationBuilder.Sql("""
                CREATE FUNCTION jira_webhook_target(p_connection_id uuid)
                RETURNS TABLE (tenant_id uuid, secret_protected text)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT c.tenant_id, c.webhook_secret_protected FROM jira_connections c JOIN tenants t ON t.id = c.tenant_id
                    WHERE c.id = p_connection_id AND t.status = 'Active'
                $$;
                REVOKE ALL ON FUNCTION jira_webhook_target(uuid) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS jira_webhook_target(uuid);");

            migrationBuilder.DropTable(
                name: "jira_webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "last_webhook_at",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "webhook_secret_protected",
                table: "jira_connections");
        }
    }
}
