using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <summary>
    /// Named, scoped, expiring API keys with a last-used time. The lookup now also refuses expired keys, returns the
    /// scopes, and stamps last_used_at (at most once a minute per key, so a busy key does not write on every request).
    /// </summary>
    public partial class ScopedApiKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "created_by_user_id",
                table: "api_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_used_at",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scopes",
                table: "api_keys",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION find_api_key(bytea);
                CREATE FUNCTION find_api_key(p_secret_hash bytea)
                RETURNS TABLE (tenant_id uuid, api_key_id uuid)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                    SELECT k.tenant_id, k.id FROM api_keys k
                    WHERE k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
                $$;
                REVOKE ALL ON FUNCTION find_api_key(bytea) FROM PUBLIC;
                """);

            migrationBuilder.DropColumn(
                name: "created_by_user_id",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "last_used_at",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "scopes",
                table: "api_keys");
        }
    }
}
