using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace JiraExport.Core.Analytics;

/// <summary>Hand-written analytical SQL over one connection's synced store, in the tenant transaction row-level security needs.</summary>
internal static class AnalyticsCommands
{
    /// <summary>A command in the current transaction with <c>@tenant</c> and <c>@connection</c> bound.</summary>
    public static NpgsqlCommand Command(this JiraExportDbContext db, string sql, Guid connectionId)
    {
        var transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("tenant", db.TenantId!.Value);
        command.Parameters.AddWithValue("connection", connectionId);
        return command;
    }

    public static NpgsqlParameter Texts(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
