using System.Globalization;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Exports.Bulk;

/// <summary>
/// Plans a bulk export: works out its parts once (stored on the parent, so a re-run after a crash plans the same parts),
/// then creates them as child exports with one render job each, in batches of <see cref="BatchSize"/> per transaction.
/// The unique (parent, ordinal) index and the per-batch check make a re-run create only what is missing.
/// </summary>
public sealed partial class BulkPlanner(
    JiraExportDbContext db,
    TenantContext tenantContext,
    ExportEventWriter events,
    OutboxWriter outbox,
    JiraClient jira,
    JiraSiteResolver sites,
    BulkParentUpdates parents,
    TimeProvider timeProvider,
    ILogger<BulkPlanner> logger)
{
    public const string ConsumerName = "bulk-plan";
    public const int BatchSize = 100;

    public async Task PlanAsync(BulkExportStep job, Guid messageId, CancellationToken cancellationToken)
    {
        tenantContext.Set(job.TenantId);
        var parent = await db.InTransactionAsync(async ct =>
        {
            if (await db.HasProcessedAsync(messageId, ConsumerName, ct)
                || await db.LockExportAsync(job.ExportId, ct) is not { IsFinished: false, Bulk: not null } export)
            {
                return null;
            }

            export.Attempts++;
            if (export.Start(timeProvider.GetUtcNow()))
            {
                await events.AppendAsync(export, ExportEventTypes.Progress, "Planning the documents", ct);
            }

            await db.SaveChangesAsync(ct);
            return export;
        }, cancellationToken);
        if (parent is null)
        {
            return;
        }

        var plan = parent.BulkPlan;
        if (plan is null)
        {
            try
            {
                plan = await ResolvePartsAsync(parent, cancellationToken);
            }
            catch (JiraException ex) when (ex.Kind != JiraFailureKind.Unavailable)
            {
                await parents.FailAsync(parent.Id, messageId, ConsumerName, ex.Message, cancellationToken);
                return;
            }
            catch (ExportFailedException ex)
            {
                await parents.FailAsync(parent.Id, messageId, ConsumerName, ex.Message, cancellationToken);
                return;
            }

            if (plan.Count == 0)
            {
                await parents.FailAsync(parent.Id, messageId, ConsumerName,
                    "The request matched nothing to export; check the JQL (it must match at least one issue).", cancellationToken);
                return;
            }

            if (plan.Count > BulkLimits.MaxParts)
            {
                await parents.FailAsync(parent.Id, messageId, ConsumerName,
                    $"The request would make {plan.Count:N0} documents; a bulk export makes at most {BulkLimits.MaxParts:N0}. Narrow the JQL or split the request.",
                    cancellationToken);
                return;
            }

            plan = await SavePlanAsync(parent.Id, plan, cancellationToken);
            if (plan is null)
            {
                return;
            }
        }

        foreach (var batch in plan.Chunk(BatchSize))
        {
            if (!await CreatePartsAsync(parent.Id, batch, cancellationToken))
            {
                return;
            }
        }

        await db.InTransactionAsync(async ct =>
        {
            db.MarkProcessed(messageId, ConsumerName, timeProvider.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
        LogPlanned(logger, parent.Id, plan.Count);
    }

    /// <summary>Stores the plan unless another run stored one first (then that one wins); null when the export finished meanwhile.</summary>
    private Task<List<BulkPart>?> SavePlanAsync(Guid parentId, List<BulkPart> plan, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            if (await db.LockExportAsync(parentId, ct) is not { IsFinished: false } parent)
            {
                return null;
            }

            if (parent.BulkPlan is null)
            {
                parent.BulkPlan = plan;
                parent.PartCount = plan.Count;
                parent.Progress = Math.Max(parent.Progress, 1);
                await events.AppendAsync(parent, ExportEventTypes.Progress, $"Planned {plan.Count} documents", ct);
                await db.SaveChangesAsync(ct);
            }

            return parent.BulkPlan;
        }, cancellationToken);

    /// <summary>Creates the parts of one batch that do not exist yet, each with its render job; false when the bulk export was cancelled.</summary>
    private async Task<bool> CreatePartsAsync(Guid parentId, BulkPart[] batch, CancellationToken cancellationToken)
    {
        var created = await db.InTransactionAsync(async ct =>
        {
            if (await db.LockExportAsync(parentId, ct) is not { IsFinished: false } parent)
            {
                return false;
            }

            var first = batch[0].Ordinal;
            var last = batch[^1].Ordinal;
            var existing = await db.Exports
                .Where(e => e.ParentExportId == parentId && e.Ordinal >= first && e.Ordinal <= last)
                .Select(e => e.Ordinal!.Value)
                .ToListAsync(ct);
            var now = timeProvider.GetUtcNow();
            foreach (var part in batch.Where(p => !existing.Contains(p.Ordinal)))
            {
                var child = new Export
                {
                    Id = Guid.CreateVersion7(),
                    TenantId = parent.TenantId,
                    ConnectionId = parent.ConnectionId,
                    ParentExportId = parent.Id,
                    Ordinal = part.Ordinal,
                    Jql = part.Jql,
                    Format = parent.Format,
                    Template = parent.Template,
                    Title = parent.Title is null ? part.Label : $"{parent.Title} – {part.Label}",
                    Source = parent.Source,
                    TemplateVersion = parent.TemplateVersion,
                    Fields = parent.Fields,
                    Options = parent.Options,
                    CreatedAt = now,
                };
                db.Exports.Add(child);
                outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.ExportJobsRoutingKey, new ExportRequested(child.TenantId, child.Id));
            }

            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

        // A long plan would otherwise keep every part it created tracked until the end.
        db.ChangeTracker.Clear();
        return created;
    }

    private async Task<List<BulkPart>> ResolvePartsAsync(Export parent, CancellationToken cancellationToken)
    {
        var spec = parent.Bulk!;
        if (spec.SplitBy == BulkSplits.JqlList)
        {
            return (spec.JqlList ?? []).Select((jql, index) => new BulkPart(index, $"Query {index + 1}", jql.Trim())).ToList();
        }

        var connection = await db.InTransactionAsync(
            ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == parent.ConnectionId, ct), cancellationToken)
            ?? throw new ExportFailedException("The Jira connection of this export was deleted; connect Jira again and request a new export.");
        var site = await sites.ResolveAsync(connection, cancellationToken);
        var useStore = parent.Source == ExportSources.Store && connection.SyncWatermark is not null;

        switch (spec.SplitBy)
        {
            case BulkSplits.Issue:
                return (await MatchingKeysAsync(parent.Jql, connection, site, useStore, cancellationToken))
                    .Select((key, index) => new BulkPart(index, key, $"key = {key}"))
                    .ToList();
            case BulkSplits.Project:
                return (await MatchingKeysAsync(parent.Jql, connection, site, useStore, cancellationToken))
                    .Select(ProjectOf)
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .Select((project, index) => new BulkPart(index, project, BulkJql.Narrow($"project = {BulkJql.Quote(project)}", parent.Jql)))
                    .ToList();
            case BulkSplits.Sprint:
                if (connection.SyncWatermark is null)
                {
                    throw new ExportFailedException("Splitting by sprint reads the sprints from the synced copy; sync this connection first (POST /api/v1/connections/{id}/sync).");
                }

                return (await MatchingSprintsAsync(parent.Jql, connection, site, cancellationToken))
                    .Select((sprint, index) => new BulkPart(index, sprint.Name,
                        BulkJql.Narrow($"sprint = {sprint.SprintId.ToString(CultureInfo.InvariantCulture)}", parent.Jql)))
                    .ToList();
            default:
                throw new ExportFailedException($"Unknown split \"{spec.SplitBy}\".");
        }
    }

    /// <summary>
    /// The keys of the issues the JQL matches, in its order: Jira answers the ids (the cheapest search) and the synced store
    /// the keys; when the store lacks any of them, or the export reads live, Jira's search answers the keys itself.
    /// </summary>
    private async Task<List<string>> MatchingKeysAsync(string jql, JiraConnection connection, JiraSite site, bool useStore, CancellationToken cancellationToken)
    {
        if (useStore)
        {
            var ids = (await jira.SearchIdsAsync(site, jql, cancellationToken)).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList();
            var keys = new Dictionary<long, string>(ids.Count);
            foreach (var chunk in ids.Chunk(5000))
            {
                var rows = await db.InTransactionAsync(ct => db.SyncedIssues.AsNoTracking()
                    .Where(i => i.ConnectionId == connection.Id && chunk.Contains(i.IssueId))
                    .Select(i => new { i.IssueId, i.Key })
                    .ToListAsync(ct), cancellationToken);
                foreach (var row in rows)
                {
                    keys[row.IssueId] = row.Key;
                }
            }

            if (keys.Count == ids.Count)
            {
                return ids.Select(id => keys[id]).ToList();
            }
        }

        var found = new List<string>();
        await foreach (var page in jira.SearchAsync(site, jql, KeyOnlyFields, cancellationToken))
        {
            found.AddRange(page.Issues.Select(i => i.Key));
        }

        return found;
    }

    private async Task<List<SyncedSprint>> MatchingSprintsAsync(string jql, JiraConnection connection, JiraSite site, CancellationToken cancellationToken)
    {
        var ids = (await jira.SearchIdsAsync(site, jql, cancellationToken)).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList();
        var sprintIds = new HashSet<long>();
        foreach (var chunk in ids.Chunk(5000))
        {
            sprintIds.UnionWith(await db.InTransactionAsync(ct => db.SprintIssues.AsNoTracking()
                .Where(s => s.ConnectionId == connection.Id && chunk.Contains(s.IssueId))
                .Select(s => s.SprintId)
                .Distinct()
                .ToListAsync(ct), cancellationToken));
        }

        var sprints = await db.InTransactionAsync(ct => db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connection.Id && sprintIds.Contains(s.SprintId))
            .ToListAsync(ct), cancellationToken);
        return sprints.OrderBy(s => s.StartDate ?? DateTimeOffset.MaxValue).ThenBy(s => s.SprintId).ToList();
    }

    /// <summary>An issue key is its project's key, a hyphen and a number.</summary>
    private static string ProjectOf(string issueKey) => issueKey[..Math.Max(issueKey.LastIndexOf('-'), 0)];

    private static readonly string[] KeyOnlyFields = ["summary"];

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk export {ExportId}: {PartCount} parts planned and queued")]
    private static partial void LogPlanned(ILogger logger, Guid exportId, int partCount);
}
