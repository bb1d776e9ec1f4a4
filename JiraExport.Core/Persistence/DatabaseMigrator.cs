using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JiraExport.Core.Persistence;

/// <summary>
/// Applies migrations as the database owner, then makes sure the application role exists with exactly the
/// rights the services need: no ownership, no superuser, no BYPASSRLS — so row-level security holds for them.
/// </summary>
public sealed partial class DatabaseMigrator(ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(string ownerConnectionString, string appConnectionString, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<JiraExportDbContext>().UseNpgsql(ownerConnectionString).Options;
        await using (var db = new JiraExportDbContext(options))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        var app = new NpgsqlConnectionStringBuilder(appConnectionString);
        if (string.IsNullOrEmpty(app.Username) || string.IsNullOrEmpty(app.Password))
        {
            throw new InvalidOperationException("The application connection string must name its own user and password.");
        }

        // Roles are cluster-wide: provision it from the maintenance database under one advisory lock (advisory
        // locks are per database), so parallel migrators of several databases never race on the same role.
        var maintenance = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Database = "postgres" };
        await ExecuteAsync(maintenance.ConnectionString, $"""
            SELECT pg_advisory_xact_lock(7410001);
            DO $provision$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(app.Username)}) THEN
                    CREATE ROLE {Identifier(app.Username)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                END IF;
            END $provision$;
            ALTER ROLE {Identifier(app.Username)} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD {Literal(app.Password)};
            """, cancellationToken);

        var database = new NpgsqlConnectionStringBuilder(ownerConnectionString).Database!;
        await ExecuteAsync(ownerConnectionString, $"""
            GRANT CONNECT ON DATABASE {Identifier(database)} TO {Identifier(app.Username)};
            GRANT USAGE ON SCHEMA public TO {Identifier(app.Username)};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {Identifier(app.Username)};
            REVOKE ALL ON TABLE "__EFMigrationsHistory" FROM {Identifier(app.Username)};
            -- The audit trail is written only through append_audit_entry and audit_chain_head, which check that an entry
            -- follows its tenant's head; its trigger refuses changes from anyone.
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE audit_log, audit_chain_heads FROM {Identifier(app.Username)};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {Identifier(app.Username)};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {Identifier(app.Username)};
            """, cancellationToken);
        LogMigrated(logger, database, app.Username);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} migrated; application role {Role} provisioned")]
    private static partial void LogMigrated(ILogger logger, string database, string role);
}
