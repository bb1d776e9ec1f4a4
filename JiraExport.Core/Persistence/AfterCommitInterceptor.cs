using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JiraExport.Core.Persistence;

/// <summary>
/// Runs what <see cref="JiraExportDbContext.AfterCommitAsync"/> queued once its transaction commits, to the end even if
/// the caller has gone (the change is committed, what depends on it must follow); a rollback drops it.
/// </summary>
public sealed class AfterCommitInterceptor : DbTransactionInterceptor
{
    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is JiraExportDbContext db)
        {
            await db.RunAfterCommitAsync(CancellationToken.None);
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is JiraExportDbContext db)
        {
            db.RunAfterCommitAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as JiraExportDbContext)?.ForgetAfterCommit();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as JiraExportDbContext)?.ForgetAfterCommit();
}
