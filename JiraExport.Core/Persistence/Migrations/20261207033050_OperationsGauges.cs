using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OperationsGauges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The Worker's sync-lag gauge: how old the stalest active tenant's scheduled connection's data is (from its last
            // successful walk, or from when it was connected if it never synced). Across tenants, so it runs as its owner.
            migrationBuilder.Sql("""
                CREATE FUNCTION sync_lag_seconds(p_now timestamptz)
                RETURNS double precision
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT coalesce(max(extract(epoch FROM p_now - coalesce(c.sync_watermark, c.created_at))), 0)::double precision
                    FROM sync_schedules s
                    JOIN jira_connections c ON c.id = s.connection_id
                    JOIN tenants t ON t.id = s.tenant_id
                    WHERE t.status = 'Active'
                $$;
                REVOKE ALL ON FUNCTION sync_lag_seconds(timestamptz) FROM PUBLIC;

                -- The expiry gauges: seconds until the soonest PDF signing certificate and the soonest Jira dynamic webhook
                -- (refreshed from 20 days left) of an active tenant run out; null when there is none.
                CREATE FUNCTION operations_expiries(p_now timestamptz)
                RETURNS TABLE (signing_certificate_seconds double precision, dynamic_webhook_seconds double precision)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT
                        (SELECT extract(epoch FROM min(p.signing_certificate_not_after) - p_now)::double precision
                         FROM tenant_pdf_settings p JOIN tenants t ON t.id = p.tenant_id WHERE t.status = 'Active'),
                        (SELECT extract(epoch FROM min(c.dynamic_webhook_expires_at) - p_now)::double precision
                         FROM jira_connections c JOIN tenants t ON t.id = c.tenant_id WHERE t.status = 'Active')
                $$;
                REVOKE ALL ON FUNCTION operations_expiries(timestamptz) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS operations_expiries(timestamptz);
                DROP FUNCTION IF EXISTS sync_lag_seconds(timestamptz);
                """);
        }
    }
}
