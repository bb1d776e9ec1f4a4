namespace JiraExport.Core.Persistence;

public static class TenantTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it. Row-level security needs one: the tenant interceptor
    /// sets the tenant when a transaction begins.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this JiraExportDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
