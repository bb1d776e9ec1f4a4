using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Domain;

namespace JiraExport.Core.Jira;

/// <summary>
/// The calls a sync makes: a cheap walk of ids and <c>updated</c> stamps one page at a time (the page's cursor is
/// the checkpoint), then the changed issues in bulk with all their fields and complete changelogs.
/// </summary>
public sealed partial class JiraClient
{
    /// <summary>Cloud's bulk fetch takes at most 100 issues a call.</summary>
    public const int MaxIssuesPerFetch = 100;

    /// <summary>Cloud's bulk changelog takes at most 1,000 issues a call.</summary>
    public const int MaxIssuesPerChangelogFetch = 1000;

    private const int ChangelogPageSize = 100;
    private static readonly string[] StampFields = ["updated"];
    private static readonly string[] AllFields = ["*all"];

    // Cloud's enhanced search answers an empty field list with bare ids; Data Center ignores "id" and sends the envelope.
    private static readonly string[] IdOnlyFields = ["id"];

    /// <summary>One page of the walk over <paramref name="jql"/>, from <paramref name="cursor"/> (null for the first page).</summary>
    public async Task<JiraStampPage> WalkPageAsync(JiraSite site, string jql, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (issues, next, total) = await SearchPageAsync(site, jql, StampFields, cursor, pageSize, cancellationToken);
        return new JiraStampPage(Stamps(issues), next, total);
    }

    /// <summary>
    /// The ids of every issue the JQL matches, in its order: the cheapest search (Cloud pages up to 5,000 ids at a time),
    /// for reading the rest from the synced store.
    /// </summary>
    public async Task<List<string>> SearchIdsAsync(JiraSite site, string jql, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; ; page++)
        {
            var pageSize = site.Deployment == JiraDeployment.Cloud ? 5000 : 1000;
            var (issues, next, _) = await SearchPageAsync(site, jql, IdOnlyFields, cursor, pageSize, cancellationToken);
            ids.AddRange(issues.Select(i => i.Id));
            if (next is null)
            {
                return ids;
            }

            if (page >= options.Value.MaxPages)
            {
                throw new JiraException(JiraFailureKind.Protocol, $"Jira's search paging did not end after {page + 1} pages; the result would be incomplete.");
            }

            cursor = next;
        }
    }

    /// <summary>
    /// Every issue the JQL matches, a page at a time, with the named <paramref name="fields"/> kept as Jira sent them
    /// (custom fields included): for exports that read issues live with a field selection.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<JiraIssueDocument>> SearchDocumentsAsync(
        JiraSite site, string jql, IReadOnlyList<string> fields, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        for (var page = 0; ; page++)
        {
            var (issues, next, _) = await SearchPageAsync(site, jql, fields, cursor, options.Value.PageSize, cancellationToken);
            yield return issues;
            if (next is null)
            {
                yield break;
            }

            if (page >= options.Value.MaxPages)
            {
                throw new JiraException(JiraFailureKind.Protocol, $"Jira's search paging did not end after {page + 1} pages; the result would be incomplete.");
            }

            cursor = next;
        }
    }

    /// <summary>One search page, Cloud (<c>nextPageToken</c>) or Data Center (<c>startAt</c>), and the cursor of the next (null after the last).</summary>
    private async Task<(List<JiraIssueDocument> Issues, string? NextCursor, int? Total)> SearchPageAsync(
        JiraSite site, string jql, IReadOnlyList<string> fields, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        if (site.Deployment == JiraDeployment.Cloud)
        {
            var body = new CloudWalkRequest(jql, fields, pageSize, cursor);
            var result = await SendAsync<CloudWalkResponse>(site, HttpMethod.Post, "/rest/api/3/search/jql", body, cancellationToken);
            var isLast = result.IsLast ?? string.IsNullOrEmpty(result.NextPageToken);
            if (!isLast && (string.IsNullOrEmpty(result.NextPageToken) || result.NextPageToken == cursor))
            {
                throw new JiraException(JiraFailureKind.Protocol, "Jira's search paging did not move on; the walk would not end.");
            }

            return (result.Issues ?? [], isLast ? null : result.NextPageToken, null);
        }

        var startAt = cursor is null ? 0 : int.Parse(cursor, CultureInfo.InvariantCulture);
        var dcBody = new DataCenterSearchBody(jql, startAt, pageSize, fields, Expand: null);
        var page = await SendAsync<DataCenterDocumentsResponse>(site, HttpMethod.Post, "/rest/api/2/search", dcBody, cancellationToken);
        var issues = page.Issues ?? [];
        // The server may lower maxResults: advance by what came back.
        var next = startAt + issues.Count;
        var more = issues.Count > 0 && next < page.Total;
        return (issues, more ? next.ToString(CultureInfo.InvariantCulture) : null, page.Total);
    }

    /// <summary>
    /// The issues with these ids (at most <see cref="MaxIssuesPerFetch"/>) with every field; on Data Center with their
    /// embedded changelogs, which may be cut short (see <see cref="JiraEmbeddedChangelog.Total"/>).
    /// </summary>
    public async Task<IReadOnlyList<JiraIssueDocument>> FetchIssuesAsync(JiraSite site, IReadOnlyList<string> issueIds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(issueIds.Count, MaxIssuesPerFetch);
        if (issueIds.Count == 0)
        {
            return [];
        }

        if (site.Deployment == JiraDeployment.Cloud)
        {
            var body = new BulkFetchRequest(issueIds, AllFields, Expand: []);
            var result = await SendAsync<BulkFetchResponse>(site, HttpMethod.Post, "/rest/api/3/issue/bulkfetch", body, cancellationToken);
            if (result.IssueErrors is { Count: > 0 } errors)
            {
                throw new JiraException(JiraFailureKind.Unavailable,
                    $"Jira could not return {errors.Count} issues ({string.Join("; ", errors.Take(3).Select(e => $"{e.Id}: {e.ErrorMessage}"))}).");
            }

            return result.Issues ?? [];
        }

        var jql = $"id in ({string.Join(',', issueIds)}) ORDER BY id ASC";
        var dcBody = new DataCenterSearchBody(jql, 0, issueIds.Count, AllFields, Expand: ["changelog"]);
        return (await SendAsync<DataCenterDocumentsResponse>(site, HttpMethod.Post, "/rest/api/2/search", dcBody, cancellationToken)).Issues ?? [];
    }

    /// <summary>
    /// The issues with these ids (at most <see cref="MaxIssuesPerFetch"/>) that <paramref name="scopeJql"/> matches (every
    /// one for <see cref="Sync.SyncScopes.EveryProject"/>), with every field as <see cref="FetchIssuesAsync"/> reads them:
    /// one search, where checking the scope and then fetching would take two calls of the site's budget.
    /// </summary>
    public async Task<IReadOnlyList<JiraIssueDocument>> FetchIssuesInScopeAsync(
        JiraSite site, string scopeJql, IReadOnlyList<string> issueIds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(issueIds.Count, MaxIssuesPerFetch);
        if (issueIds.Count == 0)
        {
            return [];
        }

        var ids = $"id in ({string.Join(',', issueIds)})";
        var jql = (scopeJql.Length == 0 ? ids : $"({scopeJql}) AND {ids}") + " ORDER BY id ASC";
        var found = site.Deployment == JiraDeployment.Cloud
            ? (await SearchPageAsync(site, jql, AllFields, cursor: null, issueIds.Count, cancellationToken)).Issues
            : (await SendAsync<DataCenterDocumentsResponse>(site, HttpMethod.Post, "/rest/api/2/search",
                new DataCenterSearchBody(jql, 0, issueIds.Count, AllFields, Expand: ["changelog"]), cancellationToken)).Issues ?? [];
        // A scope that closes its own parenthesis could widen the search: only the issues asked for count.
        return [.. found.Where(issue => issueIds.Contains(issue.Id))];
    }

    /// <summary>
    /// Which of these issues Jira still shows the connection's account: a sync concludes "deleted in Jira" only for the
    /// others. Cloud's bulk fetch leaves out issues that are gone or hidden. Data Center's search refuses a whole
    /// <c>id in (…)</c> that names a gone issue, so a refused batch is halved until each gone issue is alone, and that
    /// issue's own 404 confirms it (at most about 2 log₂ 100 + 1 calls per gone issue).
    /// </summary>
    public async Task<HashSet<long>> FindExistingIssueIdsAsync(JiraSite site, IReadOnlyList<long> issueIds, CancellationToken cancellationToken)
    {
        var existing = new HashSet<long>();
        foreach (var batch in issueIds.Chunk(MaxIssuesPerFetch))
        {
            await AddExistingAsync(site, batch, existing, cancellationToken);
        }

        return existing;
    }

    private async Task AddExistingAsync(JiraSite site, long[] issueIds, HashSet<long> existing, CancellationToken cancellationToken)
    {
        var ids = issueIds.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        if (site.Deployment == JiraDeployment.Cloud)
        {
            var result = await SendAsync<BulkFetchResponse>(site, HttpMethod.Post, "/rest/api/3/issue/bulkfetch",
                new BulkFetchRequest(ids, IdOnlyFields, Expand: []), cancellationToken);
            if (result.IssueErrors is { Count: > 0 } errors)
            {
                // Jira could not say for these (a retriable error): nothing may be concluded from their absence.
                throw new JiraException(JiraFailureKind.Unavailable,
                    $"Jira could not tell whether {errors.Count} issues still exist ({errors[0].Id}: {errors[0].ErrorMessage}).");
            }

            var fetched = (result.Issues ?? []).Select(i => long.Parse(i.Id, CultureInfo.InvariantCulture)).ToList();
            if (!fetched.All(id => issueIds.Contains(id)))
            {
                throw new JiraException(JiraFailureKind.Protocol, $"Jira's bulk fetch of {issueIds.Length} issues answered issues not asked for.");
            }

            existing.UnionWith(fetched);
            return;
        }

        try
        {
            var body = new DataCenterSearchBody($"id in ({string.Join(',', ids)})", 0, ids.Count, IdOnlyFields, Expand: null);
            var found = await SendAsync<DataCenterDocumentsResponse>(site, HttpMethod.Post, "/rest/api/2/search", body, cancellationToken);
            var returned = (found.Issues ?? []).Select(i => long.Parse(i.Id, CultureInfo.InvariantCulture)).ToList();
            if (returned.Count != found.Total || !returned.All(id => issueIds.Contains(id)))
            {
                // A cut page or other issues than asked for: absence would prove nothing, so nothing is concluded.
                throw new JiraException(JiraFailureKind.Protocol,
                    $"Jira answered a search for {issueIds.Length} issue ids with {returned.Count} of {found.Total} issues, not all of them asked for.");
            }

            existing.UnionWith(returned);
        }
        catch (JiraException ex) when (ex.Kind == JiraFailureKind.BadRequest && issueIds.Length > 1)
        {
            var half = issueIds.Length / 2;
            await AddExistingAsync(site, issueIds[..half], existing, cancellationToken);
            await AddExistingAsync(site, issueIds[half..], existing, cancellationToken);
        }
        catch (JiraException ex) when (ex.Kind == JiraFailureKind.BadRequest)
        {
            // Refused on its own. Only the issue's own 404 says it is gone: a search refused for another reason (a
            // misbehaving server) must not empty the store.
            try
            {
                await SendAsync<JiraIssueDocument>(site, HttpMethod.Get, $"/rest/api/2/issue/{ids[0]}?fields=id", body: null, cancellationToken);
                existing.Add(issueIds[0]);
            }
            catch (JiraException notFound) when (notFound.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Jira does not know this issue any more (or no longer lets the account see it).
            }
        }
    }

    /// <summary>Complete changelogs of up to 1,000 issues by id, oldest entry first (Cloud's bulk changelog).</summary>
    public async Task<Dictionary<string, List<JiraChangelogEntry>>> FetchChangelogsAsync(
        JiraSite site, IReadOnlyList<string> issueIds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(issueIds.Count, MaxIssuesPerChangelogFetch);
        var changelogs = new Dictionary<string, List<JiraChangelogEntry>>(StringComparer.Ordinal);
        string? nextPageToken = null;
        for (var page = 0; issueIds.Count > 0; page++)
        {
            var body = new BulkChangelogRequest(issueIds, 1000, nextPageToken);
            var result = await SendAsync<BulkChangelogResponse>(site, HttpMethod.Post, "/rest/api/3/changelog/bulkfetch", body, cancellationToken);
            foreach (var issue in result.IssueChangeLogs ?? [])
            {
                if (!changelogs.TryGetValue(issue.IssueId, out var entries))
                {
                    changelogs[issue.IssueId] = entries = [];
                }

                entries.AddRange(issue.ChangeHistories ?? []);
            }

            if (string.IsNullOrEmpty(result.NextPageToken))
            {
                break;
            }

            if (result.NextPageToken == nextPageToken || page >= options.Value.MaxPages)
            {
                throw new JiraException(JiraFailureKind.Protocol, "Jira's changelog paging did not end; the histories would be incomplete.");
            }

            nextPageToken = result.NextPageToken;
        }

        return changelogs;
    }

    /// <summary>An issue's whole changelog through the paged <c>/issue/{key}/changelog</c>, oldest first.</summary>
    public Task<List<JiraChangelogEntry>> GetChangelogAsync(JiraSite site, string issueIdOrKey, CancellationToken cancellationToken) =>
        GetPagedAsync<JiraChangelogEntry>(site, $"/rest/api/{ApiVersion(site)}/issue/{Uri.EscapeDataString(issueIdOrKey)}/changelog?", "values",
            ChangelogPageSize, cancellationToken);

    /// <summary>Every comment of an issue, paged (the issue's <c>comment</c> field may hold only the first ones).</summary>
    public Task<List<JsonElement>> GetCommentsAsync(JiraSite site, string issueId, CancellationToken cancellationToken) =>
        GetPagedAsync<JsonElement>(site, $"/rest/api/{ApiVersion(site)}/issue/{Uri.EscapeDataString(issueId)}/comment?orderBy=created", "comments", 100, cancellationToken);

    /// <summary>Every worklog of an issue, paged (the issue's <c>worklog</c> field holds at most 20).</summary>
    public Task<List<JsonElement>> GetWorklogsAsync(JiraSite site, string issueId, CancellationToken cancellationToken) =>
        GetPagedAsync<JsonElement>(site, $"/rest/api/{ApiVersion(site)}/issue/{Uri.EscapeDataString(issueId)}/worklog?", "worklogs", 1000, cancellationToken);

    /// <summary>Cloud's estimate of how many issues a bounded JQL matches (for progress; search has no total).</summary>
    public async Task<int> ApproximateCountAsync(JiraSite site, string jql, CancellationToken cancellationToken)
    {
        return (await SendAsync<ApproximateCount>(site, HttpMethod.Post, "/rest/api/3/search/approximate-count", new { jql }, cancellationToken)).Count;
    }

    public async Task<IReadOnlyList<JiraField>> GetFieldsAsync(JiraSite site, CancellationToken cancellationToken)
    {
        return await SendAsync<List<JiraField>>(site, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/field", body: null, cancellationToken);
    }

    /// <summary>The site's statuses with their categories: flow metrics place past statuses no issue holds any more by them.</summary>
    public Task<List<JiraStatusEntry>> GetStatusesAsync(JiraSite site, CancellationToken cancellationToken) =>
        SendAsync<List<JiraStatusEntry>>(site, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/status", body: null, cancellationToken);

    /// <summary>One node's <c>/serverInfo</c>, with no failover: the health check asks each node for itself.</summary>
    public async Task<JiraServerInfo> GetServerInfoAsync(JiraSite site, Uri node, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(site, node, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/serverInfo", body: null);
        return await SendToNodeAsync<JiraServerInfo>(request, cancellationToken);
    }

    private static List<JiraIssueStamp> Stamps(List<JiraIssueDocument>? issues) =>
        (issues ?? []).Select(issue =>
        {
            var updated = issue.Fields.ValueKind == JsonValueKind.Object && issue.Fields.TryGetProperty("updated", out var value)
                          && value.ValueKind == JsonValueKind.String
                ? JiraDateTimeOffsetConverter.Parse(value.GetString()!)
                : throw new JiraException(JiraFailureKind.Protocol, $"Jira returned issue {issue.Key} without the 'updated' field the walk asked for.");
            return new JiraIssueStamp(issue.Id, issue.Key, updated);
        }).ToList();

    private sealed record CloudWalkRequest(string Jql, IReadOnlyList<string> Fields, int MaxResults, string? NextPageToken);

    private sealed record CloudWalkResponse(List<JiraIssueDocument>? Issues, string? NextPageToken, bool? IsLast);

    private sealed record DataCenterSearchBody(string Jql, int StartAt, int MaxResults, IReadOnlyList<string> Fields, IReadOnlyList<string>? Expand);

    private sealed record DataCenterDocumentsResponse(int StartAt, int MaxResults, int Total, List<JiraIssueDocument>? Issues);

    private sealed record BulkFetchRequest(IReadOnlyList<string> IssueIdsOrKeys, IReadOnlyList<string> Fields, IReadOnlyList<string> Expand);

    private sealed record BulkFetchResponse(List<JiraIssueDocument>? Issues, List<BulkFetchError>? IssueErrors);

    private sealed record BulkFetchError(string? Id, string? ErrorMessage);

    private sealed record BulkChangelogRequest(IReadOnlyList<string> IssueIdsOrKeys, int MaxResults, string? NextPageToken);

    private sealed record BulkChangelogResponse(List<IssueChangelogs>? IssueChangeLogs, string? NextPageToken);

    private sealed record IssueChangelogs(string IssueId, List<JiraChangelogEntry>? ChangeHistories);


    private sealed record ApproximateCount(int Count);
}
