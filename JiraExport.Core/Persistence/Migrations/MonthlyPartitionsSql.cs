using Microsoft.EntityFrameworkCore.Migrations;

namespace JiraExport.Core.Persistence.Migrations;

/// <summary>
/// Tables partitioned by month on <c>occurred_at</c> (the event log and the audit trail): old months can be detached or
/// dropped whole, and a month's queries read one partition. The partitions live in the schema <c>partitions</c>, which
/// the application's role cannot use: it reaches their rows only through the parent table, whose row-level security and
/// triggers apply (a partition read directly would have neither). <c>ensure_monthly_partitions()</c> (the Worker calls
/// it every few hours) makes the current month's and the next three; a row outside every month lands in the default
/// partition rather than failing.
/// </summary>
internal static class MonthlyPartitionsSql
{
    /// <summary>The schema, the owner's function that makes a table's months, and the one the application may call.</summary>
    public static void CreateMonthlyPartitionFunctions(this MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            CREATE SCHEMA partitions;
            REVOKE ALL ON SCHEMA partitions FROM PUBLIC;
            CREATE FUNCTION partitions.create_months(p_table text, p_from timestamptz, p_through timestamptz)
            RETURNS TABLE (created int, blocked int)
            LANGUAGE plpgsql SET search_path = public AS $$
            DECLARE
                month timestamp := date_trunc('month', p_from AT TIME ZONE 'UTC');
                lower_bound timestamptz;
                upper_bound timestamptz;
                name text;
                held boolean;
            BEGIN
                created := 0;
                blocked := 0;
                WHILE month <= date_trunc('month', p_through AT TIME ZONE 'UTC') LOOP
                    name := p_table || '_' || to_char(month, 'YYYY_MM');
                    lower_bound := month AT TIME ZONE 'UTC';
                    upper_bound := (month + interval '1 month') AT TIME ZONE 'UTC';
                    IF to_regclass(format('partitions.%I', name)) IS NULL THEN
                        -- A month whose rows went to the default partition (none was made ahead) keeps them there:
                        -- PostgreSQL refuses a partition for rows the default holds.
                        EXECUTE format('SELECT EXISTS (SELECT 1 FROM partitions.%I WHERE occurred_at >= $1 AND occurred_at < $2)', p_table || '_default')
                            INTO held USING lower_bound, upper_bound;
                        IF held THEN
                            blocked := blocked + 1;
                        ELSE
                            EXECUTE format('CREATE TABLE partitions.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)',
                                name, p_table, lower_bound, upper_bound);
                            created := created + 1;
                        END IF;
                    END IF;
                    month := month + interval '1 month';
                END LOOP;
                RETURN NEXT;
            END
            $$;
            -- The application's only way to make partitions: this month and the next three, of these two tables, one
            -- caller at a time (two Workers would race to create the same month). Making one locks its table: queued
            -- behind a long read, it would hold up every insert, so it gives up after a moment and the next round retries.
            CREATE FUNCTION ensure_monthly_partitions()
            RETURNS TABLE (table_name text, created int, blocked int)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET lock_timeout = '2s' AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(7410002);
                RETURN QUERY SELECT t.name, m.created, m.blocked
                    FROM unnest(ARRAY['domain_events', 'audit_log']) AS t(name),
                         LATERAL partitions.create_months(t.name, now(), now() + interval '3 months') m;
            END
            $$;
            REVOKE ALL ON FUNCTION ensure_monthly_partitions() FROM PUBLIC;
            """);

    /// <summary>
    /// Replaces <paramref name="table"/> by a table partitioned by month with the same columns and rows, with a partition
    /// for every month from its oldest row to three months ahead, and a default one. Its keys, indexes, policies and
    /// triggers are made again afterwards (<paramref name="recreate"/>): they belonged to the table it replaces.
    /// </summary>
    public static void PartitionByMonth(this MigrationBuilder migrationBuilder, string table, string recreate) =>
        migrationBuilder.Sql($"""
            ALTER TABLE {table} RENAME TO {table}_unpartitioned;
            -- The owner copies every tenant's rows: its own forced policy would show it none.
            ALTER TABLE {table}_unpartitioned NO FORCE ROW LEVEL SECURITY;
            CREATE TABLE {table} (LIKE {table}_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (occurred_at);
            CREATE TABLE partitions.{table}_default PARTITION OF {table} DEFAULT;
            SELECT partitions.create_months('{table}', coalesce((SELECT min(occurred_at) FROM {table}_unpartitioned), now()), now() + interval '3 months');
            INSERT INTO {table} SELECT * FROM {table}_unpartitioned;
            {CopyGrants($"{table}_unpartitioned", table)}
            DROP TABLE {table}_unpartitioned;
            {recreate}
            """);

    /// <summary>The way back: <paramref name="table"/> as one plain table with the same rows, its keys made again by <paramref name="recreate"/>.</summary>
    public static void Unpartition(this MigrationBuilder migrationBuilder, string table, string recreate) =>
        migrationBuilder.Sql($"""
            ALTER TABLE {table} RENAME TO {table}_partitioned;
            ALTER TABLE {table}_partitioned NO FORCE ROW LEVEL SECURITY;
            CREATE TABLE {table} (LIKE {table}_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
            INSERT INTO {table} SELECT * FROM {table}_partitioned;
            {CopyGrants($"{table}_partitioned", table)}
            DROP TABLE {table}_partitioned;
            {recreate}
            """);

    /// <summary>
    /// The privileges others hold on <paramref name="from"/>, granted on <paramref name="to"/> in the same transaction:
    /// the running services keep writing to the table while the migrator has not granted again yet.
    /// </summary>
    private static string CopyGrants(string from, string to) => $"""
        DO $grants$
        DECLARE
            granted record;
        BEGIN
            FOR granted IN
                SELECT a.grantee::regrole AS grantee, a.privilege_type FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.oid = '{from}'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner
            LOOP
                EXECUTE format('GRANT %s ON {to} TO %s', granted.privilege_type, granted.grantee);
            END LOOP;
        END
        $grants$;
        """;

    public static void DropMonthlyPartitionFunctions(this MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            DROP FUNCTION ensure_monthly_partitions();
            DROP SCHEMA partitions CASCADE;
            """);
}
