using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Analytics;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Exports.Reports;

/// <summary>The issues a report is about, as the template's model, and whether they came from the store.</summary>
public sealed record ReportIssues(IReadOnlyList<IssueModel> Issues, IReadOnlyList<SprintModel> Sprints, IReadOnlyList<ReleaseModel> Releases);

/// <summary>
/// Reads what a template's kind needs: Jira answers which issues the JQL matches (its own JQL and permissions decide),
/// the synced store gives their fields and, for detail and sprint reports, their comments, work log, status history,
/// links and sprints. Issues the store lacks, and live exports, are read from Jira with their fields only.
/// </summary>
public sealed class ReportModelReader(JiraExportDbContext db, JiraClient jira, FlowStore flowStore, FlowDefinitions definitions, TimeProvider timeProvider)
{
    private const int StoreChunk = 1000;

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<IssueModelMapper> CreateMapperAsync(JiraSite site, JiraConnection connection, CancellationToken cancellationToken)
    {
        var fields = await jira.GetFieldsAsync(site, cancellationToken);
        var names = fields.Where(f => f.Custom).ToDictionary(f => f.Id, f => f.Name, StringComparer.Ordinal);
        return new IssueModelMapper(names, connection.BaseUrl.TrimEnd('/'));
    }

    public async Task<ReportIssues> ReadAsync(
        string kind, string jql, int? maxIssues, bool fromStore, JiraConnection connection, JiraSite site, IssueModelMapper mapper,
        Func<int, int, Task> progress, CancellationToken cancellationToken)
    {
        var ids = await jira.SearchIdsAsync(site, jql, cancellationToken);
        if (maxIssues is { } max && ids.Count > max)
        {
            ids = ids.Take(max).ToList();
        }

        var numeric = ids.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList();
        var issues = new Dictionary<long, IssueModel>(numeric.Count);
        var versions = new Dictionary<string, VersionFacts>(StringComparer.Ordinal);
        var memberships = new List<SprintIssue>();

        if (fromStore)
        {
            foreach (var chunk in numeric.Chunk(StoreChunk))
            {
                await ReadStoredAsync(kind, connection.Id, chunk, mapper, issues, versions, memberships, cancellationToken);
                await progress(issues.Count, numeric.Count);
            }
        }

        var missing = ids.Where((_, index) => !issues.ContainsKey(numeric[index])).ToList();
        foreach (var chunk in missing.Chunk(JiraClient.MaxIssuesPerFetch))
        {
            foreach (var document in await jira.FetchIssuesAsync(site, chunk, cancellationToken))
            {
                var changelog = document.Changelog?.Histories ?? [];
                issues[long.Parse(document.Id, CultureInfo.InvariantCulture)] =
                    mapper.Map(document.Id, document.Key, document.Fields, null, null, changelog, IssueActivityModel.None);
                foreach (var version in IssueModelMapper.VersionsOf(document.Fields))
                {
                    versions.TryAdd(version.Name, version);
                }
            }

            await progress(issues.Count, numeric.Count);
        }

        var ordered = numeric.Where(issues.ContainsKey).Select(id => issues[id]).ToList();
        var sprints = ReportKinds.NeedsSprints(kind)
            ? await BuildSprintsAsync(connection.Id, issues, memberships, cancellationToken)
            : [];
        var releases = kind == ReportKinds.ReleaseNotes ? ReleaseNotesBuilder.Build(ordered, versions) : [];
        return new ReportIssues(ordered, sprints, releases);
    }

    private async Task ReadStoredAsync(
        string kind, Guid connectionId, long[] chunk, IssueModelMapper mapper, Dictionary<long, IssueModel> issues,
        Dictionary<string, VersionFacts> versions, List<SprintIssue> memberships, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.SyncedIssues.AsNoTracking()
            .Where(i => i.ConnectionId == connectionId && chunk.Contains(i.IssueId))
            .Select(i => new { i.IssueId, i.Key, i.Fields, i.Changelog, i.DescriptionHtml, i.DescriptionText })
            .ToListAsync(cancellationToken);
        var activity = ReportKinds.NeedsActivity(kind)
            ? await ReadActivityAsync(connectionId, chunk, mapper, memberships, cancellationToken)
            : null;
        await transaction.CommitAsync(cancellationToken);

        foreach (var row in rows)
        {
            using var fields = JsonDocument.Parse(row.Fields);
            var changelog = activity is null ? [] : JsonSerializer.Deserialize<List<JiraChangelogEntry>>(row.Changelog, Json) ?? [];
            issues[row.IssueId] = mapper.Map(
                row.IssueId.ToString(CultureInfo.InvariantCulture), row.Key, fields.RootElement, row.DescriptionHtml, row.DescriptionText, changelog,
                activity?.GetValueOrDefault(row.IssueId) ?? IssueActivityModel.None);
            foreach (var version in IssueModelMapper.VersionsOf(fields.RootElement))
            {
                versions.TryAdd(version.Name, version);
            }
        }
    }

    private async Task<Dictionary<long, IssueActivityModel>> ReadActivityAsync(
        Guid connectionId, long[] chunk, IssueModelMapper mapper, List<SprintIssue> memberships, CancellationToken cancellationToken)
    {
        var comments = (await db.IssueComments.AsNoTracking()
            .Where(c => c.ConnectionId == connectionId && chunk.Contains(c.IssueId)).OrderBy(c => c.Created).ToListAsync(cancellationToken))
            .ToLookup(c => c.IssueId, c => new CommentModel(c.AuthorName, c.Created, c.BodyHtml, c.BodyText));
        var worklogs = (await db.IssueWorklogs.AsNoTracking()
            .Where(w => w.ConnectionId == connectionId && chunk.Contains(w.IssueId)).OrderBy(w => w.Started).ToListAsync(cancellationToken))
            .ToLookup(w => w.IssueId, w => new WorklogModel(w.AuthorName, w.Started, w.TimeSpentSeconds, IssueModelMapper.Duration(w.TimeSpentSeconds), w.CommentText));
        var transitions = (await db.IssueStatusTransitions.AsNoTracking()
            .Where(t => t.ConnectionId == connectionId && chunk.Contains(t.IssueId)).OrderBy(t => t.At).ToListAsync(cancellationToken))
            .ToLookup(t => t.IssueId, t => new TransitionModel(t.FromStatus, t.ToStatus ?? string.Empty, null, t.At, t.AuthorName));
        var links = (await db.IssueLinks.AsNoTracking()
            .Where(l => l.ConnectionId == connectionId && chunk.Contains(l.IssueId)).ToListAsync(cancellationToken))
            .ToLookup(l => l.IssueId, l => l);
        var sprintRows = await db.SprintIssues.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && chunk.Contains(s.IssueId))
            .Join(db.SyncedSprints.Where(s => s.ConnectionId == connectionId), m => m.SprintId, s => s.SprintId, (m, s) => new { Membership = m, s.Name, s.StartDate })
            .ToListAsync(cancellationToken);
        memberships.AddRange(sprintRows.Select(r => r.Membership));
        var sprintNames = sprintRows.OrderBy(r => r.StartDate).ToLookup(r => r.Membership.IssueId, r => r.Name);

        return chunk.ToDictionary(id => id, id => new IssueActivityModel(
            comments[id].ToList(), worklogs[id].ToList(), transitions[id].ToList(),
            links[id].Select(l => new IssueLinkModel(l.LinkType, l.Relation, l.OtherKey, mapper.BrowseUrl(l.OtherKey))).ToList(),
            sprintNames[id].ToList()));
    }

    private async Task<IReadOnlyList<SprintModel>> BuildSprintsAsync(
        Guid connectionId, Dictionary<long, IssueModel> issues, List<SprintIssue> memberships, CancellationToken cancellationToken)
    {
        var sprintIds = memberships.Select(m => m.SprintId).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sprints = await db.SyncedSprints.AsNoTracking()
            .Where(s => s.ConnectionId == connectionId && sprintIds.Contains(s.SprintId))
            .OrderBy(s => s.StartDate).ThenBy(s => s.SprintId)
            .Select(SprintStore.Facts)
            .ToListAsync(cancellationToken);
        var statuses = await flowStore.StatusesAsync(connectionId, cancellationToken);
        var calendar = await definitions.CalendarAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The issue models carry status names: done is the built-in definition's finished statuses, by name.
        var finishedIds = FlowStatusSets.Resolve(FlowDefinition.Default, statuses).Finished;
        var finished = statuses.Where(s => finishedIds.Contains(s.Id)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var now = timeProvider.GetUtcNow();
        var members = memberships.ToLookup(m => m.IssueId, m => m.SprintId);
        // Each sprint's report places every issue by its own history; an issue never in the sprint is left out there.
        var histories = issues.Select(i => (i.Value, (IReadOnlySet<long>)members[i.Key].ToHashSet())).ToList();
        return sprints.Select(sprint => SprintReportBuilder.Build(sprint, histories, finished, calendar.Calendar, now)).ToList();
    }
}
