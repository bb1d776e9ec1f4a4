namespace JiraExport.Core.Persistence;

public sealed partial class JiraExportDbContext
{
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    /// <summary>
    /// Runs <paramref name="work"/> once the current transaction has committed (at once when there is none), before the
    /// code that committed goes on; dropped if it rolls back. For forgetting cached copies of what the transaction changed.
    /// </summary>
    public async Task AfterCommitAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Database.CurrentTransaction is null)
        {
            await work(cancellationToken);
            return;
        }

        _afterCommit.Add(work);
    }

    internal async Task RunAfterCommitAsync(CancellationToken cancellationToken)
    {
        var work = _afterCommit.ToList();
        _afterCommit.Clear();
        foreach (var item in work)
        {
            await item(cancellationToken);
        }
    }

    internal void ForgetAfterCommit() => _afterCommit.Clear();
}
