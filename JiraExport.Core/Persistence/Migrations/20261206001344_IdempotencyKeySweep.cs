using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyKeySweep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Which tenants hold Idempotency-Key answers past their 24 hours, asked across tenants (RLS hides them from the
            // Worker's role); the Worker then deletes them in each tenant's own transaction.
            migrationBuilder.Sql("""
                CREATE FUNCTION tenants_with_expired_idempotent_requests(p_now timestamptz, p_limit int)
                RETURNS TABLE (tenant_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT DISTINCT r.tenant_id FROM idempotent_requests r WHERE r.expires_at < p_now LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION tenants_with_expired_idempotent_requests(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenants_with_expired_idempotent_requests(timestamptz, int);");
        }
    }
}
