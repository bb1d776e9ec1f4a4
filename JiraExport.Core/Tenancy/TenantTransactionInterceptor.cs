using System.Data.Common;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JiraExport.Core.Tenancy;

/// <summary>
/// Hands the tenant to PostgreSQL row-level security at the start of every transaction
/// (<c>set_config(..., true)</c> lasts until commit), never per pooled connection: a value that
/// outlived its transaction would leak to whoever takes the connection next.
/// </summary>
public sealed class TenantTransactionInterceptor : DbTransactionInterceptor
{
    public const string SettingName = "app.tenant_id";

    public override async ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(connection, result, eventData);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return result;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        using var command = CreateCommand(connection, result, eventData);
        command.ExecuteNonQuery();
        return result;
    }

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction transaction, TransactionEndEventData eventData)
    {
        var tenantId = (eventData.Context as JiraExportDbContext)?.TenantId;
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT set_config('{SettingName}', @tenant, true)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = tenantId?.ToString() ?? string.Empty;
        command.Parameters.Add(parameter);
        return command;
    }
}
