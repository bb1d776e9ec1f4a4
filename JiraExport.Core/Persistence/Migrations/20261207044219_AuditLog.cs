using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_chain_heads",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    key_protected = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_heads", x => x.tenant_id);
                    table.ForeignKey(
                        name: "FK_audit_chain_heads_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    ip_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    previous_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => new { x.tenant_id, x.sequence });
                    table.ForeignKey(
                        name: "FK_audit_log_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.EnableTenantIsolation("audit_log");
            migrationBuilder.EnableTenantIsolation("audit_chain_heads");

            // The only way in for the application's role (DatabaseMigrator revokes its writes on both tables): the head is
            // locked (and made, with the tenant's new chain key, on its first entry), and an entry is added only right after
            // it, for the tenant the transaction is set to.
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_chain_head(p_tenant uuid, p_new_key text)
                RETURNS TABLE (head_sequence bigint, head_hash bytea, head_key text)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
                BEGIN
                    IF p_tenant IS DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::uuid THEN
                        RAISE EXCEPTION 'the audit chain of tenant % is not this transaction''s', p_tenant;
                    END IF;
                    INSERT INTO audit_chain_heads (tenant_id, sequence, hash, key_protected)
                        VALUES (p_tenant, 0, decode(repeat('00', 32), 'hex'), p_new_key)
                        ON CONFLICT (tenant_id) DO NOTHING;
                    RETURN QUERY SELECT h.sequence, h.hash, h.key_protected FROM audit_chain_heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
                END
                $$;
                REVOKE ALL ON FUNCTION audit_chain_head(uuid, text) FROM PUBLIC;

                CREATE FUNCTION append_audit_entry(
                    p_tenant uuid, p_sequence bigint, p_occurred_at timestamptz, p_actor_kind text, p_actor_id uuid, p_action text,
                    p_method text, p_target text, p_status int, p_ip_address text, p_previous_hash bytea, p_hash bytea)
                RETURNS void
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
                DECLARE
                    head audit_chain_heads%ROWTYPE;
                BEGIN
                    IF p_tenant IS DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::uuid THEN
                        RAISE EXCEPTION 'the audit chain of tenant % is not this transaction''s', p_tenant;
                    END IF;
                    SELECT * INTO head FROM audit_chain_heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
                    IF NOT FOUND OR p_sequence <> head.sequence + 1 OR p_previous_hash <> head.hash THEN
                        RAISE EXCEPTION 'audit entry % does not follow the head of tenant %''s chain', p_sequence, p_tenant;
                    END IF;
                    INSERT INTO audit_log (tenant_id, sequence, occurred_at, actor_kind, actor_id, action, method, target, status, ip_address, previous_hash, hash)
                        VALUES (p_tenant, p_sequence, p_occurred_at, p_actor_kind, p_actor_id, p_action, p_method, p_target, p_status, p_ip_address, p_previous_hash, p_hash);
                    UPDATE audit_chain_heads SET sequence = p_sequence, hash = p_hash WHERE tenant_id = p_tenant;
                END
                $$;
                REVOKE ALL ON FUNCTION append_audit_entry(uuid, bigint, timestamptz, text, uuid, text, text, text, int, text, bytea, bytea) FROM PUBLIC;

                -- Append-only, whoever asks: no entry is ever changed, and one is deleted only by the cascade of its purged
                -- tenant's row (a nested trigger; the row is gone by then).
                CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        IF pg_trigger_depth() > 1 AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
                            RETURN OLD;
                        END IF;
                    END IF;
                    RAISE EXCEPTION 'audit_log is append-only: its entries are never %d', lower(TG_OP);
                END
                $$;
                REVOKE ALL ON FUNCTION audit_log_is_append_only() FROM PUBLIC;
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
                CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
                DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
                DROP FUNCTION IF EXISTS audit_log_is_append_only();
                DROP FUNCTION IF EXISTS append_audit_entry(uuid, bigint, timestamptz, text, uuid, text, text, text, int, text, bytea, bytea);
                DROP FUNCTION IF EXISTS audit_chain_head(uuid, text);
                """);
            migrationBuilder.DisableTenantIsolation("audit_chain_heads");
            migrationBuilder.DisableTenantIsolation("audit_log");
            migrationBuilder.DropTable(
                name: "audit_chain_heads");

            migrationBuilder.DropTable(
                name: "audit_log");
        }
    }
}
