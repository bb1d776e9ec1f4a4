using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// Reads the rows of an issue list as a stream, in Jira's order: from the synced store in batches of
/// <see cref="BatchSize"/> (Jira names the matching ids, the store the rest; issues the store lacks are fetched live), or
/// live from Jira page by page. Either way only one batch is in memory, and both read the same Jira field JSON, so a
/// store export and a live export give the same values.
/// </summary>
public sealed class IssueRowReader(JiraExportDbContext db, JiraClient jira)
{
    public const int BatchSize = 2000;

    /// <summary>Progress of reading: rows read so far and, when known, how many there will be.</summary>
    public delegate Task ProgressCallback(int read, int? total, CancellationToken cancellationToken);

    public async IAsyncEnumerable<object?[]> ReadFromStoreAsync(
        Guid connectionId, JiraSite site, string jql, IReadOnlyList<IssueField> fields, ProgressCallback progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = await jira.SearchIdsAsync(site, jql, cancellationToken);
        // Only the JSON of fields the typed columns cannot answer is read, and only those keys of it.
        var jsonKeys = fields.Where(f => f.FromColumns is null && f.JiraId is not null).Select(f => f.JiraId!).Distinct().ToArray();
        var read = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var numeric = batch.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray();
            var stored = await ReadBatchAsync(connectionId, numeric, jsonKeys, cancellationToken);
            var missing = batch.Where(id => !stored.ContainsKey(long.Parse(id, CultureInfo.InvariantCulture))).ToList();
            var live = new Dictionary<long, JiraIssueDocument>();
            foreach (var chunk in missing.Chunk(JiraClient.MaxIssuesPerFetch))
            {
                foreach (var document in await jira.FetchIssuesAsync(site, chunk, cancellationToken))
                {
                    live[long.Parse(document.Id, CultureInfo.InvariantCulture)] = document;
                }
            }

            foreach (var id in numeric)
            {
                if (stored.TryGetValue(id, out var row))
                {
                    yield return Values(fields, row.Columns, row.Source);
                }
                else if (live.TryGetValue(id, out var document))
                {
                    yield return Values(fields, columns: null, new IssueSource(document.Id, document.Key, document.Fields));
                }
            }

            read += batch.Length;
            await progress(read, ids.Count, cancellationToken);
        }
    }

    public async IAsyncEnumerable<object?[]> ReadLiveAsync(
        JiraSite site, string jql, IReadOnlyList<IssueField> fields, ProgressCallback progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // "updated" always: a search asking for no field at all answers with bare ids on Cloud.
        var jiraFields = fields.Where(f => f.JiraId is not null).Select(f => f.JiraId!).Append("updated").Distinct().ToList();
        var read = 0;
        await foreach (var page in jira.SearchDocumentsAsync(site, jql, jiraFields, cancellationToken))
        {
            foreach (var document in page)
            {
                yield return Values(fields, columns: null, new IssueSource(document.Id, document.Key, document.Fields));
            }

            read += page.Count;
            await progress(read, null, cancellationToken);
        }
    }

    private static object?[] Values(IReadOnlyList<IssueField> fields, StoredIssueColumns? columns, IssueSource source)
    {
        var values = new object?[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            values[i] = columns is not null && field.FromColumns is { } fromColumns ? fromColumns(columns) : field.FromJson(source);
        }

        return values;
    }

    private async Task<Dictionary<long, (StoredIssueColumns Columns, IssueSource Source)>> ReadBatchAsync(
        Guid connectionId, long[] ids, string[] jsonKeys, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, (StoredIssueColumns, IssueSource)>(ids.Length);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var npgsql = (NpgsqlTransaction)transaction.GetDbTransaction();
        var (picked, from) = PickedFieldsSql(jsonKeys);
        await using var select = new NpgsqlCommand($"""
            SELECT issue.issue_id, issue.key, issue.project_key, issue.summary, issue.issue_type, issue.status_name,
                   issue.status_category, issue.priority, issue.assignee_name, issue.created, issue.updated,
                   issue.description_text, {picked}
            FROM jira_issues AS issue{from}
            WHERE issue.connection_id = @connection AND issue.issue_id = ANY (@ids)
            """, npgsql.Connection, npgsql);
        for (var i = 0; i < jsonKeys.Length; i++)
        {
            select.Parameters.AddWithValue($"k{i}", jsonKeys[i]);
        }

        select.Parameters.AddWithValue("connection", connectionId);
        select.Parameters.AddWithValue("ids", ids);
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var columns = new StoredIssueColumns(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), NullableString(reader, 4),
                    NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7), NullableString(reader, 8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10),
                    NullableString(reader, 11));
                var json = reader.IsDBNull(12) ? default : JsonSerializer.Deserialize<JsonElement>(reader.GetString(12));
                rows[columns.IssueId] = (columns, new IssueSource(columns.IssueId.ToString(CultureInfo.InvariantCulture), columns.Key, json));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// The select-list expression (a JSON object of the keys, as text) and the join that picks the Jira field JSON the typed
    /// columns cannot answer. One <c>jsonb_to_record</c> per row reads every key from a single fetch of the row's TOASTed
    /// <c>fields</c>; each <c>fields -&gt; key</c> fetches and decompresses it again (three keys over 50,000 rows: 5.1 s in
    /// PostgreSQL that way, 0.8 s this way). Keys are the parameters <c>@k0</c>…; a key too long to be a column name
    /// (PostgreSQL cuts names at 63 bytes) is read with <c>-&gt;</c>. The record's columns are named after Jira's field ids
    /// (<c>priority</c>, <c>created</c>…), so every column of the table is qualified.
    /// </summary>
    private static (string Picked, string From) PickedFieldsSql(string[] keys)
    {
        if (keys.Length == 0)
        {
            return ("NULL", string.Empty);
        }

        var columns = new List<string>();
        var pairs = new List<string>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (Encoding.UTF8.GetByteCount(keys[i]) <= MaxColumnNameBytes)
            {
                var column = "\"" + keys[i].Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                columns.Add(column + " jsonb");
                pairs.Add($"@k{i}, picked.{column}");
            }
            else
            {
                pairs.Add($"@k{i}, issue.fields -> @k{i}");
            }
        }

        // jsonb_build_object takes at most 100 arguments, so the pairs go in objects of 50, joined with ||.
        var objects = pairs.Chunk(50).Select(chunk => $"jsonb_build_object({string.Join(", ", chunk)})");
        var from = columns.Count == 0 ? string.Empty : $" CROSS JOIN LATERAL jsonb_to_record(issue.fields) AS picked({string.Join(", ", columns)})";
        return ($"({string.Join(" || ", objects)})::text", from);
    }

    private const int MaxColumnNameBytes = 63;

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
