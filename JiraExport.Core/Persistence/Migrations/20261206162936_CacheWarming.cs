using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CacheWarming : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // What an Api instance loads into its memory caches when it starts (CacheWarmer): the tenants with the most API
            // requests lately and the API keys used lately, across tenants, so these two functions run as their owner.
            migrationBuilder.Sql("""
                CREATE FUNCTION recently_active_tenants(p_since date, p_limit int)
                RETURNS TABLE (tenant_id uuid, status text, max_api_requests_per_minute int)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT t.id, t.status::text, t.max_api_requests_per_minute
                    FROM tenants t
                    JOIN (SELECT u.tenant_id, sum(u.api_requests) AS requests FROM tenant_usage_days u
                          WHERE u.day >= p_since GROUP BY u.tenant_id) recent ON recent.tenant_id = t.id
                    ORDER BY recent.requests DESC
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION recently_active_tenants(date, int) FROM PUBLIC;

                CREATE FUNCTION recently_used_api_keys(p_since timestamptz, p_limit int)
                RETURNS TABLE (secret_hash bytea, tenant_id uuid, api_key_id uuid, scopes text, expires_at timestamptz)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT k.secret_hash, k.tenant_id, k.id, k.scopes::text, k.expires_at
                    FROM api_keys k
                    WHERE k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND k.last_used_at >= p_since
                    ORDER BY k.last_used_at DESC
                    LIMIT p_limit
                $$;
                REVOKE ALL ON FUNCTION recently_used_api_keys(timestamptz, int) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS recently_used_api_keys(timestamptz, int);
                DROP FUNCTION IF EXISTS recently_active_tenants(date, int);
                """);
        }
    }
}
