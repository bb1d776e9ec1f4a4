using JiraExport.Core.Jira;
using Microsoft.Extensions.Caching.Memory;

namespace JiraExport.Worker.Sync;

/// <summary>
/// Reads issues from Jira whole — all fields, the complete changelog, every comment and worklog — as rows to store:
/// a sync's changed issues, or the one issue a webhook names.
/// </summary>
public sealed class JiraIssueReader(JiraClient jira, IMemoryCache cache)
{
    private const string SprintFieldSchema = "com.pyxis.greenhopper.jira:gh-sprint";

    /// <summary>How long a connection's Sprint field id is kept: a field's id never changes, and webhooks would ask for it often.</summary>
    private static readonly TimeSpan SprintFieldKeptFor = TimeSpan.FromMinutes(10);

    /// <summary>The site's Sprint field: custom field ids differ per site, so it is found by its schema, never by a guessed id.</summary>
    public Task<string?> SprintFieldIdAsync(JiraSite site, Guid connectionId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(("sprint-field", connectionId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = SprintFieldKeptFor;
            return (await jira.GetFieldsAsync(site, cancellationToken)).FirstOrDefault(f => f.Schema?.Custom == SprintFieldSchema)?.Id;
        });

    /// <summary>The issues with all fields and complete changelogs, mapped to rows of <paramref name="connectionId"/>.</summary>
    public async Task<List<SyncedIssueRow>> ReadAsync(
        JiraSite site, Guid tenantId, Guid connectionId, IReadOnlyList<string> issueIds, string? sprintFieldId, CancellationToken cancellationToken)
    {
        var rows = new List<SyncedIssueRow>(issueIds.Count);
        foreach (var chunk in issueIds.Chunk(JiraClient.MaxIssuesPerFetch))
        {
            rows.AddRange(await MapAsync(site, tenantId, connectionId, await jira.FetchIssuesAsync(site, chunk, cancellationToken), sprintFieldId, cancellationToken));
        }

        return rows;
    }

    /// <summary>The issues a webhook names that are in the connection's scope, as <see cref="ReadAsync"/> reads them.</summary>
    public async Task<List<SyncedIssueRow>> ReadInScopeAsync(
        JiraSite site, Guid tenantId, Guid connectionId, string scopeJql, IReadOnlyList<string> issueIds, CancellationToken cancellationToken)
    {
        var documents = await jira.FetchIssuesInScopeAsync(site, scopeJql, issueIds, cancellationToken);
        return documents.Count == 0
            ? []
            : await MapAsync(site, tenantId, connectionId, documents, await SprintFieldIdAsync(site, connectionId, cancellationToken), cancellationToken);
    }

    private async Task<List<SyncedIssueRow>> MapAsync(
        JiraSite site, Guid tenantId, Guid connectionId, IReadOnlyList<JiraIssueDocument> documents, string? sprintFieldId, CancellationToken cancellationToken)
    {
        var rows = new List<SyncedIssueRow>(documents.Count);
        var changelogs = site.Deployment == Core.Domain.JiraDeployment.Cloud
            ? await jira.FetchChangelogsAsync(site, [.. documents.Select(d => d.Id)], cancellationToken)
            : null;
        foreach (var document in documents)
        {
            var changelog = changelogs is not null
                ? changelogs.GetValueOrDefault(document.Id) ?? []
                : await EmbeddedOrPagedChangelogAsync(site, document, cancellationToken);
            // The issue's fields hold the first comments and at most 20 worklogs; the rest are paged in.
            var comments = SyncedIssueMapper.IsTruncated(document.Fields, "comment", "comments")
                ? await jira.GetCommentsAsync(site, document.Id, cancellationToken)
                : null;
            var worklogs = SyncedIssueMapper.IsTruncated(document.Fields, "worklog", "worklogs")
                ? await jira.GetWorklogsAsync(site, document.Id, cancellationToken)
                : null;
            rows.Add(SyncedIssueMapper.Map(document, changelog, tenantId, connectionId, sprintFieldId, comments, worklogs));
        }

        return rows;
    }

    /// <summary>Data Center embeds the changelog; when it holds fewer entries than its total, the rest is paged in.</summary>
    private async Task<IReadOnlyList<JiraChangelogEntry>> EmbeddedOrPagedChangelogAsync(JiraSite site, JiraIssueDocument document, CancellationToken cancellationToken)
    {
        var embedded = document.Changelog?.Histories ?? [];
        return document.Changelog is { } changelog && changelog.Total > embedded.Count
            ? await jira.GetChangelogAsync(site, document.Id, cancellationToken)
            : embedded;
    }
}
