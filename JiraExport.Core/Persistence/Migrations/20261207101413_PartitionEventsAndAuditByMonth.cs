using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartitionEventsAndAuditByMonth : Migration
    {
        /// <summary>The audit trail's append-only triggers, made again on the table that replaces it either way.</summary>
        private const string AuditTrailTriggers = """
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateMonthlyPartitionFunctions();
            migrationBuilder.PartitionByMonth("domain_events", """
                ALTER TABLE domain_events ADD CONSTRAINT "PK_domain_events" PRIMARY KEY (tenant_id, sequence, occurred_at);
                ALTER TABLE domain_events ADD CONSTRAINT "FK_domain_events_tenants_tenant_id"
                    FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
                CREATE UNIQUE INDEX "IX_domain_events_id_occurred_at" ON domain_events (id, occurred_at);
                CREATE INDEX "IX_domain_events_occurred_at" ON domain_events (occurred_at);
                """);
            migrationBuilder.EnableTenantIsolation("domain_events");

            migrationBuilder.PartitionByMonth("audit_log", """
                ALTER TABLE audit_log ADD CONSTRAINT "PK_audit_log" PRIMARY KEY (tenant_id, sequence, occurred_at);
                ALTER TABLE audit_log ADD CONSTRAINT "FK_audit_log_tenants_tenant_id"
                    FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
                """ + AuditTrailTriggers);
            migrationBuilder.EnableTenantIsolation("audit_log");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Unpartition("domain_events", """
                ALTER TABLE domain_events ADD CONSTRAINT "PK_domain_events" PRIMARY KEY (tenant_id, sequence);
                ALTER TABLE domain_events ADD CONSTRAINT "FK_domain_events_tenants_tenant_id"
                    FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
                CREATE UNIQUE INDEX "IX_domain_events_id" ON domain_events (id);
                CREATE INDEX "IX_domain_events_occurred_at" ON domain_events (occurred_at);
                """);
            migrationBuilder.EnableTenantIsolation("domain_events");
            migrationBuilder.Unpartition("audit_log", """
                ALTER TABLE audit_log ADD CONSTRAINT "PK_audit_log" PRIMARY KEY (tenant_id, sequence);
                ALTER TABLE audit_log ADD CONSTRAINT "FK_audit_log_tenants_tenant_id"
                    FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
                """ + AuditTrailTriggers);
            migrationBuilder.EnableTenantIsolation("audit_log");
            migrationBuilder.DropMonthlyPartitionFunctions();
        }
    }
}
