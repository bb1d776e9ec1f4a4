using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyLookupExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The lookup also answers when the key expires: a cached key (ApiKeyCache) is refused from that instant,
            // not when its cache entry ends.
            migrationBuilder.Sql("""
                DROP FUNCTION find_api_key(bytea);
                CREATE FUNCTION find_api_key(p_secret_hash bytea)
                RETURNS TABLE (tenant_id uuid, api_key_id uuid, scopes text, expires_at timestamptz)
                LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
                BEGIN
                    UPDATE api_keys k SET last_used_at = now()
                    WHERE k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
                      AND (k.expires_at IS NULL OR k.expires_at > now())
                      AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
                    RETURN QUERY SELECT k.tenant_id, k.id, k.scopes::text, k.expires_at FROM api_keys k
                    WHERE k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
                      AND (k.expires_at IS NULL OR k.expires_at > now());
                END $$;
                REVOKE ALL ON FUNCTION find_api_key(bytea) FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION find_api_key(bytea);
                CREATE FUNCTION find_api_key(p_secret_hash bytea)
                RETURNS TABLE (tenant_id uuid, api_key_id uuid, scopes text)
                LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
                BEGIN
                    UPDATE api_keys k SET last_used_at = now()
                    WHERE k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
                      AND (k.expires_at IS NULL OR k.expires_at > now())
                      AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
                    RETURN QUERY SELECT k.tenant_id, k.id, k.scopes::text FROM api_keys k
                    WHERE k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
                      AND (k.expires_at IS NULL OR k.expires_at > now());
                END $$;
                REVOKE ALL ON FUNCTION find_api_key(bytea) FROM PUBLIC;
                """);
        }
    }
}
