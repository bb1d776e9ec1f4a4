using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DynamicJiraWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dynamic_webhook_attempted_at",
                table: "jira_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dynamic_webhook_error",
                table: "jira_connections",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dynamic_webhook_expires_at",
                table: "jira_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "dynamic_webhook_id",
                table: "jira_connections",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "dynamic_webhook_key_hash",
                table: "jira_connections",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dynamic_webhook_scope",
                table: "jira_connections",
                type: "text",
                nullable: true);

            // A dynamic webhook's delivery is checked by the key in its URL and a JWT of our OAuth app, not by a secret.
            migrationBuilder.Sql("""
                DROP FUNCTION jira_webhook_target(uuid);
                CREATE FUNCTION jira_webhook_target(p_connection_id uuid)
                RETURNS TABLE (tenant_id uuid, secret_protected text, auth_type text, dynamic_webhook_key_hash bytea)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT c.tenant_id, c.webhook_secret_protected, c.auth_type, c.dynamic_webhook_key_hash FROM jira_connections c JOIN tenants t ON t.id = c.tenant_id
                    WHERE c.id = p_connection_id AND t.status = 'Active'
                $$;
                REVOKE ALL ON FUNCTION jira_webhook_target(uuid) FROM PUBLIC;
                """);
            // The Worker's registrar works across tenants: this names the OAuth connections whose dynamic webhook is missing,
            // expires soon or was registered for another scope, and nothing else; one that failed waits before it is tried again.
            migrationBuilder.Sql("""
                CREATE FUNCTION connections_due_for_dynamic_webhooks(p_refresh_before timestamptz, p_retry_before timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid, connection_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT c.tenant_id, c.id FROM jira_connections c JOIN tenants t ON t.id = c.tenant_id
                    WHERE t.status = 'Active' AND c.auth_type = 'OAuth'
                      AND (c.dynamic_webhook_id IS NULL OR c.dynamic_webhook_expires_at < p_refresh_before
                           OR c.dynamic_webhook_scope IS DISTINCT FROM c.sync_scope_jql)
                      AND (c.dynamic_webhook_attempted_at IS NULL OR c.dynamic_webhook_attempted_at < p_retry_before)
                    ORDER BY c.dynamic_webhook_attempted_at NULLS FIRST
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION connections_due_for_dynamic_webhooks(timestamptz, timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS connections_due_for_dynamic_webhooks(timestamptz, timestamptz, int);
                DROP FUNCTION jira_webhook_target(uuid);
                CREATE FUNCTION jira_webhook_target(p_connection_id uuid)
                RETURNS TABLE (tenant_id uuid, secret_protected text)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT c.tenant_id, c.webhook_secret_protected FROM jira_connections c JOIN tenants t ON t.id = c.tenant_id
                    WHERE c.id = p_connection_id AND t.status = 'Active'
                $$;
                REVOKE ALL ON FUNCTION jira_webhook_target(uuid) FROM PUBLIC;
                """);

            migrationBuilder.DropColumn(
                name: "dynamic_webhook_attempted_at",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "dynamic_webhook_error",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "dynamic_webhook_expires_at",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "dynamic_webhook_id",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "dynamic_webhook_key_hash",
                table: "jira_connections");

            migrationBuilder.DropColumn(
                name: "dynamic_webhook_scope",
                table: "jira_connections");
        }
    }
}
