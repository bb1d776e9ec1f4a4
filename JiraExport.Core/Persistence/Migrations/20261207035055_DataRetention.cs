using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DataRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Which tenants have processed Jira deliveries, security events or usage days past their retention (the Worker's
            // DataRetentionService then deletes each tenant's under row-level security). Across tenants, so it runs as its owner.
            migrationBuilder.Sql("""
                CREATE FUNCTION tenants_with_data_past_retention(
                    p_deliveries_before timestamptz, p_security_events_before timestamptz,
                    p_tenant_usage_before date, p_principal_usage_before date, p_limit int)
                RETURNS TABLE (tenant_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT d.tenant_id FROM jira_webhook_deliveries d WHERE d.received_at < p_deliveries_before AND d.processed_at IS NOT NULL
                    UNION
                    SELECT e.tenant_id FROM security_events e WHERE e.occurred_at < p_security_events_before
                    UNION
                    SELECT u.tenant_id FROM tenant_usage_days u WHERE u.day < p_tenant_usage_before
                    UNION
                    SELECT p.tenant_id FROM principal_usage_days p WHERE p.day < p_principal_usage_before
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION tenants_with_data_past_retention(timestamptz, timestamptz, date, date, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenants_with_data_past_retention(timestamptz, timestamptz, date, date, int);");
        }
    }
}
