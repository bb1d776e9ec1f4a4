using JiraExport.Core.Domain;
using JiraExport.Core.Jira;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>An issue list written to a temporary file (deleted when disposed), ready to be copied into the store.</summary>
public sealed record IssueListFile(Stream Content, int IssueCount) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// Writes a CSV, XLSX or JSON export: resolves its fields, reads the rows as a stream (store or live) and writes them as
/// they come into a temporary file, so memory stays flat however many issues there are; the job then copies the file
/// into the artifact store in its final transaction.
/// </summary>
public sealed class IssueListExporter(IssueFieldResolver resolver, IssueRowReader rows)
{
    public async Task<IssueListFile> WriteAsync(
        Export export, Guid connectionId, JiraSite site, IssueListInfo info, IssueRowReader.ProgressCallback progress, CancellationToken cancellationToken)
    {
        var fields = await resolver.ResolveAsync(export.Fields, site, cancellationToken);
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"jiraexport-{export.Id:N}-{Guid.NewGuid():N}.tmp"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var count = 0;
            await using (var writer = CreateWriter(export, file, fields, info))
            {
                var source = export.Source == ExportSources.Store
                    ? rows.ReadFromStoreAsync(connectionId, site, export.Jql, fields, progress, cancellationToken)
                    : rows.ReadLiveAsync(site, export.Jql, fields, progress, cancellationToken);
                await foreach (var row in source)
                {
                    await writer.WriteRowAsync(row, cancellationToken);
                    count++;
                }

                await writer.CompleteAsync(count, cancellationToken);
            }

            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            return new IssueListFile(file, count);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static IIssueListWriter CreateWriter(Export export, Stream file, IReadOnlyList<IssueField> fields, IssueListInfo info) => export.Format switch
    {
        ExportFormats.Csv => new IssueListCsv(file, fields, export.Options?.CsvBom == true),
        ExportFormats.Xlsx => new IssueListXlsx(file, fields),
        ExportFormats.Json => new IssueListJson(file, fields, info),
        _ => throw new ArgumentOutOfRangeException(nameof(export), export.Format, "Not an issue-list format."),
    };
}
