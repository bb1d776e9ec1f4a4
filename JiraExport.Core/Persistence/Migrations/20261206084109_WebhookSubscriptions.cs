using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WebhookSubscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    event_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    connection_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    templates = table.Column<List<string>>(type: "text[]", nullable: false),
                    protected_secret = table.Column<string>(type: "text", nullable: false),
                    protected_previous_secret = table.Column<string>(type: "text", nullable: true),
                    previous_secret_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    disabled_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_subscriptions", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_subscriptions_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: true),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_status_code = table.Column<int>(type: "integer", nullable: true),
                    last_latency_ms = table.Column<int>(type: "integer", nullable: true),
                    last_response = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_webhook_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "webhook_subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_created_at",
                table: "webhook_deliveries",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_next_attempt_at",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_subscription_id_created_at_id",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_subscription_id_event_id",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_tenant_id",
                table: "webhook_deliveries",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_subscriptions_tenant_id",
                table: "webhook_subscriptions",
                column: "tenant_id");

            migrationBuilder.EnableTenantIsolation("webhook_subscriptions");
            migrationBuilder.EnableTenantIsolation("webhook_deliveries");

            // Which deliveries are due, asked across tenants (RLS hides them from the Worker's role); the Worker then sends
            // each in its tenant's own transactions. A few per tenant per round, so one tenant's flood of deliveries to a
            // receiver that never answers cannot hold up everyone else's; none of a tenant no longer active.
            migrationBuilder.Sql("""
                CREATE FUNCTION webhook_deliveries_due(p_now timestamptz, p_limit int, p_per_tenant int)
                RETURNS TABLE (tenant_id uuid, id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT due.tenant_id, due.id FROM (
                        SELECT d.tenant_id, d.id, d.next_attempt_at,
                               row_number() OVER (PARTITION BY d.tenant_id ORDER BY d.next_attempt_at) AS place
                        FROM webhook_deliveries d JOIN tenants t ON t.id = d.tenant_id AND t.status = 'Active'
                        WHERE d.status = 'Pending' AND d.next_attempt_at <= p_now
                    ) due
                    WHERE due.place <= p_per_tenant
                    ORDER BY due.next_attempt_at LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION webhook_deliveries_due(timestamptz, int, int) FROM PUBLIC;
                """);

            // Which tenants hold events, or settled webhook deliveries, past the event log's retention, asked across tenants;
            // the Worker then prunes each in the tenant's own transaction.
            migrationBuilder.Sql("""
                CREATE FUNCTION tenants_with_events_before(p_before timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT e.tenant_id FROM domain_events e WHERE e.occurred_at < p_before
                    UNION
                    SELECT d.tenant_id FROM webhook_deliveries d WHERE d.created_at < p_before AND d.status <> 'Pending'
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION tenants_with_events_before(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS webhook_deliveries_due(timestamptz, int, int);");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenants_with_events_before(timestamptz, int);");
            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_subscriptions");
        }
    }
}
