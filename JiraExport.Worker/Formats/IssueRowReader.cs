using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace JiraExport.Worker.Formats;

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
        await using var select = new NpgsqlCommand("""
            SELECT issue_id, key, project_key, summary, issue_type, status_name, status_category, priority, assignee_name,
                   created, updated, description_text,
                   CASE WHEN cardinality(@keys) = 0 THEN NULL
                        ELSE (SELECT jsonb_object_agg(k, fields -> k) FROM unnest(@keys) AS k WHERE fields ? k)::text END
            FROM jira_issues
            WHERE connection_id = @connection AND issue_id = ANY (@ids)
            """, npgsql.Connection, npgsql);
        select.Parameters.AddWithValue("keys", jsonKeys);
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

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
