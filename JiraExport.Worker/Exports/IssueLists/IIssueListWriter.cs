namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>What heads an issue list file besides its rows.</summary>
public sealed record IssueListInfo(string Title, string Jql, DateTimeOffset GeneratedAt);

/// <summary>
/// Writes an issue list to a stream row by row: the header, then each row as it is read, then the end. Nothing grows with
/// the number of rows but the file itself.
/// </summary>
public interface IIssueListWriter : IAsyncDisposable
{
    Task WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken);

    Task CompleteAsync(int issueCount, CancellationToken cancellationToken);
}
