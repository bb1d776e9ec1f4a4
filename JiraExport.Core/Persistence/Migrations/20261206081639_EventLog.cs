using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EventLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_domain_events_occurred_at",
                table: "domain_events",
                column: "occurred_at");

            // Which tenants' logs hold events past the retention, asked across tenants (RLS hides them from the Worker's
            // role); the Worker then prunes each in the tenant's own transaction.
            migrationBuilder.Sql("""
                CREATE FUNCTION tenants_with_events_before(p_before timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT DISTINCT e.tenant_id FROM domain_events e WHERE e.occurred_at < p_before LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION tenants_with_events_before(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenants_with_events_before(timestamptz, int);");
            migrationBuilder.DropIndex(
                name: "IX_domain_events_occurred_at",
                table: "domain_events");
        }
    }
}
