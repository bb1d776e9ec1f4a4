using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Sync;
using JiraExport.Worker.Sync;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Webhooks;

/// <summary>
/// Version and project events. Jira changes versions and projects without moving the <c>updated</c> of their issues, and
/// sends no issue events for it, so the stored issues that carry a changed version, or belong to a changed project, are
/// read again from Jira. A project Jira confirms gone (deleted, trashed, archived) leaves the store with its issues; one
/// that comes back is synced in full. As everywhere here, the payload only says where to look: Jira has the last word.
/// </summary>
public sealed partial class JiraWebhookProcessor
{
    /// <summary>Issues read again for one version or project change, newest first; the rest keep the old data until they change.</summary>
    private const int MaxIssuesPerSiteChange = 1000;

    private static readonly string[] VersionChanges =
    [
        "jira:version_created", "jira:version_updated", "jira:version_released", "jira:version_unreleased", "jira:version_moved",
        "jira:version_merged", "jira:version_deleted",
    ];

    private static readonly string[] ProjectRemovals = ["project_deleted", "project_soft_deleted", "project_archived"];

    private static readonly string[] ProjectReturns = ["project_restored_deleted", "project_restored_archived"];

    private static readonly string[] ProjectChanges = ["project_created", "project_updated", .. ProjectRemovals, .. ProjectReturns];

    private async Task<WebhookChange> ReadSiteChangeAsync(JiraWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var version = VersionChanges.Contains(delivery.Event);
        long? id;
        using (var body = JsonDocument.Parse(delivery.Body))
        {
            id = EntityId(body.RootElement, version ? "version" : "project");
        }

        if (id is null)
        {
            return new Ignored(version ? "no version id" : "no project id");
        }

        if (delivery.Event == "project_created")
        {
            return new Ignored("a new project has no issues yet; they come with their own events");
        }

        var connection = await ConnectionOfAsync(delivery, cancellationToken);
        if (connection?.SyncWatermark is null)
        {
            return new Ignored(connection is null ? "the connection is gone" : "the connection has not synced");
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(JiraBudget);
        try
        {
            var site = await sites.ResolveAsync(connection, budget.Token);
            var stale = version
                ? await StaleIssuesOfVersionAsync(delivery.ConnectionId, id.Value, await jira.GetVersionAsync(site, id.Value, budget.Token), cancellationToken)
                : await ProjectChangeAsync(delivery, id.Value, await jira.GetProjectAsync(site, id.Value, budget.Token), cancellationToken);
            if (stale is not StaleIssues { Ids: var ids })
            {
                return stale;
            }

            var readAt = timeProvider.GetUtcNow();
            var rows = new List<SyncedIssueRow>();
            foreach (var chunk in ids.Chunk(JiraClient.MaxIssuesPerFetch))
            {
                try
                {
                    rows.AddRange(await issues.ReadInScopeAsync(site, delivery.TenantId, delivery.ConnectionId,
                        connection.SyncScopeJql ?? SyncScopes.EveryProject, [.. chunk.Select(i => i.ToString(CultureInfo.InvariantCulture))], budget.Token));
                }
                catch (Exception ex) when (rows.Count > 0 && IsJiraFailure(ex, cancellationToken))
                {
                    // Each issue read is Jira's current state: those are written, the rest keep theirs until they change.
                    break;
                }
            }

            return rows.Count == 0 ? new Ignored("Jira no longer gives these issues") : new ChangedIssues(rows, readAt);
        }
        catch (Exception ex) when (IsJiraFailure(ex, cancellationToken))
        {
            return new Ignored($"Jira did not answer in time: {ex.Message}");
        }
    }

    /// <summary>
    /// The stored issues whose copy of the version is not Jira's now: all that carry it once Jira no longer has it, else
    /// those where its name, release or archiving differ. So a repeated or forged event finds nothing more to do.
    /// </summary>
    private async Task<WebhookChange> StaleIssuesOfVersionAsync(Guid connectionId, long versionId, JiraVersion? current, CancellationToken cancellationToken)
    {
        var text = versionId.ToString(CultureInfo.InvariantCulture);
        var carries = new JsonArray(new JsonObject { ["id"] = text }).ToJsonString();
        var asJiraHasIt = current is null ? null : new JsonArray(new JsonObject
        {
            ["id"] = text, ["name"] = current.Name, ["released"] = current.Released, ["archived"] = current.Archived,
        }).ToJsonString();
        var ids = await db.InTransactionAsync(ct => db.Database.SqlQuery<long>($"""
            SELECT issue_id AS "Value" FROM jira_issues
            WHERE connection_id = {connectionId}
              AND ((fields->'fixVersions' @> CAST({carries} AS jsonb)
                    AND (CAST({asJiraHasIt} AS jsonb) IS NULL OR NOT fields->'fixVersions' @> CAST({asJiraHasIt} AS jsonb)))
                OR (fields->'versions' @> CAST({carries} AS jsonb)
                    AND (CAST({asJiraHasIt} AS jsonb) IS NULL OR NOT fields->'versions' @> CAST({asJiraHasIt} AS jsonb))))
            ORDER BY updated DESC LIMIT {MaxIssuesPerSiteChange}
            """).ToListAsync(ct), cancellationToken);
        return ids.Count > 0 ? new StaleIssues(ids) : new Ignored($"no stored issue holds another state of version {versionId}");
    }

    /// <summary>
    /// What a project event asks, once Jira said whether it has the project: a removal Jira confirms (404) deletes the stored
    /// issues; a restoration Jira confirms, of a project with no stored issues, syncs in full; an update reads again the stored
    /// issues filed under another key than Jira's.
    /// </summary>
    private async Task<WebhookChange> ProjectChangeAsync(JiraWebhookDelivery delivery, long projectId, JiraProject? current, CancellationToken cancellationToken)
    {
        var text = projectId.ToString(CultureInfo.InvariantCulture);
        if (ProjectRemovals.Contains(delivery.Event))
        {
            return current is null ? new GoneProject(projectId) : new Ignored("Jira still has the project");
        }

        if (current is null)
        {
            return new Ignored("Jira does not have the project; its removal has an event of its own");
        }

        // An update concerns the issues filed under another key than Jira's; a restoration, whether any is stored.
        var underKey = delivery.Event == "project_updated" ? current.Key : null;
        var stale = await db.InTransactionAsync(ct => db.Database.SqlQuery<long>($"""
            SELECT issue_id AS "Value" FROM jira_issues
            WHERE connection_id = {delivery.ConnectionId} AND fields->'project'->>'id' = {text}
              AND (CAST({underKey} AS text) IS NULL OR project_key <> {underKey})
            ORDER BY updated DESC LIMIT {MaxIssuesPerSiteChange}
            """).ToListAsync(ct), cancellationToken);
        if (ProjectReturns.Contains(delivery.Event))
        {
            return stale.Count == 0 ? new RestoredProject() : new Ignored("the project's issues are stored");
        }

        return stale.Count > 0 ? new StaleIssues(stale) : new Ignored($"no stored issue of project {projectId} under another key");
    }

    /// <summary>Jira failed or did not answer within the delivery's budget (not the Worker stopping).</summary>
    private static bool IsJiraFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is JiraException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>
    /// Removes the stored issues of a project Jira confirmed gone, an issue.deleted event for each: at most
    /// <see cref="MaxIssuesPerSiteChange"/> here, the rest by a full sync (which removes what Jira no longer has).
    /// </summary>
    private async Task<string> DeleteProjectAsync(JiraWebhookDelivery delivery, long projectId, CancellationToken cancellationToken)
    {
        var text = projectId.ToString(CultureInfo.InvariantCulture);
        var gone = await db.SyncedIssues
            .FromSql($"SELECT * FROM jira_issues WHERE connection_id = {delivery.ConnectionId} AND fields->'project'->>'id' = {text}")
            .OrderByDescending(i => i.Updated).Take(MaxIssuesPerSiteChange + 1)
            .Select(i => new SyncedIssue
            {
                TenantId = i.TenantId, ConnectionId = i.ConnectionId, IssueId = i.IssueId, Key = i.Key, ProjectKey = i.ProjectKey,
                Summary = i.Summary, Updated = i.Updated, Fields = string.Empty, Changelog = string.Empty,
            })
            .ToListAsync(cancellationToken);
        var more = gone.Count > MaxIssuesPerSiteChange;
        gone = [.. gone.Take(MaxIssuesPerSiteChange)];
        var ids = gone.Select(i => i.IssueId).ToList();
        await db.SyncedIssues.Where(i => i.ConnectionId == delivery.ConnectionId && ids.Contains(i.IssueId)).ExecuteDeleteAsync(cancellationToken);
        foreach (var issue in gone)
        {
            await AppendIssueEventAsync(delivery, IssueEventTypes.Deleted, issue, cancellationToken);
        }

        return $"project {projectId} gone: deleted {gone.Count}" + (more ? $"; the rest by {await QueueSyncAsync(delivery, cancellationToken, SyncMode.Full)}" : "");
    }

    /// <summary><c>version.id</c> or <c>project.id</c>: a number, or a string of one (Jira sends both).</summary>
    private static long? EntityId(JsonElement body, string holder) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(holder, out var entity) && entity.ValueKind == JsonValueKind.Object
        && entity.TryGetProperty("id", out var id)
        && (id.ValueKind == JsonValueKind.Number ? id.TryGetInt64(out var number)
            : long.TryParse(id.ValueKind == JsonValueKind.String ? id.GetString() : null, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        && number > 0
            ? number
            : null;

    private sealed record GoneProject(long ProjectId) : WebhookChange;

    private sealed record RestoredProject : WebhookChange;

    /// <summary>Stored issues to read again from Jira (never applied as such: they are read first).</summary>
    private sealed record StaleIssues(List<long> Ids) : WebhookChange;
}
