using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Worker.Formats;
using JiraExport.Worker.Rendering;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Jobs;

/// <summary>
/// Runs one export: reads the issues live from Jira, renders the PDF, stores it. Each state change commits
/// together with its domain event; the file, the final state and the inbox record commit in one transaction,
/// so a job delivered twice (a crashed Worker, a re-sent outbox row) still yields one file and one completion.
/// </summary>
public sealed partial class ExportJobHandler(
    JiraExportDbContext db,
    TenantContext tenantContext,
    ExportEventWriter events,
    OutboxWriter outbox,
    UsageRecorder usage,
    JiraClient jira,
    JiraSiteResolver sites,
    ReportTemplateRenderer templates,
    ChromiumPdfRenderer pdf,
    ExportMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ExportJobHandler> logger)
{
    public const string ConsumerName = "export-jobs";

    /// <summary>Progress reserved for reading from Jira; rendering and storing take the rest.</summary>
    private const int FetchProgressShare = 60;

    public async Task HandleAsync(ExportRequested job, Guid messageId, CancellationToken cancellationToken)
    {
        tenantContext.Set(job.TenantId);
        var export = await StartAsync(job, messageId, cancellationToken);
        if (export is null)
        {
            return;
        }

        try
        {
            var connection = await InTransactionAsync(
                ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == export.ConnectionId, ct), cancellationToken)
                ?? throw new ExportFailedException("The Jira connection of this export was deleted; connect Jira again and request a new export.");

            var stopwatch = Stopwatch.StartNew();
            var site = await sites.ResolveAsync(connection, cancellationToken);
            // A store export of a connection that never synced reads live, and says so.
            if (export.Source == ExportSources.Store && connection.SyncWatermark is null)
            {
                export.Source = ExportSources.Live;
            }

            var issues = export.Source == ExportSources.Store
                ? await ReadFromStoreAsync(export, connection, site, cancellationToken)
                : await FetchIssuesAsync(export, site, cancellationToken);
            LogFetched(logger, export.Id, issues.Count, stopwatch.ElapsedMilliseconds);
            metrics.Fetched(stopwatch.Elapsed);

            // A checkpoint: an export cancelled meanwhile (alone or with its bulk export) stops before the costly render.
            if (await IsCancelledAsync(export.Id, cancellationToken))
            {
                LogCancelled(logger, export.Id);
                return;
            }

            await ReportProgressAsync(export, FetchProgressShare + 10, $"Rendering {issues.Count} issues", cancellationToken);
            var report = new IssueListReport(export.Title ?? "Jira issues", export.Jql, timeProvider.GetUtcNow(), issues);
            stopwatch.Restart();
            var content = export.Format switch
            {
                ExportFormats.Csv => IssueListCsv.Write(issues),
                ExportFormats.Json => IssueListJson.Write(report),
                _ => await pdf.RenderPdfAsync(templates.Render(report), new PdfPageSetup(report.Title), cancellationToken),
            };
            LogRendered(logger, export.Id, content.Length, stopwatch.ElapsedMilliseconds);
            metrics.Rendered(stopwatch.Elapsed);

            if (await CompleteAsync(export, messageId, issues.Count, content, cancellationToken))
            {
                metrics.Succeeded(issues.Count);
            }
        }
        catch (JiraException ex) when (ex.Kind != JiraFailureKind.Unavailable)
        {
            await FailAsync(job, messageId, ex.Message, cancellationToken);
        }
        catch (ExportFailedException ex)
        {
            await FailAsync(job, messageId, ex.Message, cancellationToken);
        }
        catch (ReportRenderTimeoutException ex)
        {
            await FailAsync(job, messageId, ex.Message, cancellationToken);
        }
    }

    /// <summary>Marks the export failed with a reason a person can act on; used for permanent errors and spent retries.</summary>
    public async Task FailAsync(ExportRequested job, Guid messageId, string reason, CancellationToken cancellationToken)
    {
        tenantContext.Set(job.TenantId);
        var failed = await InTransactionAsync(async ct =>
        {
            if (await db.HasProcessedAsync(messageId, ConsumerName, ct))
            {
                return false;
            }

            // Locked: a cancel committing meanwhile must not be overwritten by this job's own update.
            var export = await db.LockExportAsync(job.ExportId, ct);
            if (export is null || export.IsFinished)
            {
                return false;
            }

            export.Status = ExportStatus.Failed;
            export.Error = reason.Length > 2000 ? reason[..2000] : reason;
            export.CompletedAt = timeProvider.GetUtcNow();
            await events.AppendAsync(export, ExportEventTypes.Failed, export.Error, ct);
            outbox.NotifyParentOfFinishedPart(export);
            db.MarkProcessed(messageId, ConsumerName, timeProvider.GetUtcNow());
            await db.SaveChangesAsync(ct);
            LogFailed(logger, export.Id, export.Error);
            return true;
        }, cancellationToken);
        if (failed)
        {
            metrics.Failed();
        }
    }

    private async Task<Export?> StartAsync(ExportRequested job, Guid messageId, CancellationToken cancellationToken) =>
        await InTransactionAsync(async ct =>
        {
            if (await db.HasProcessedAsync(messageId, ConsumerName, ct))
            {
                return null;
            }

            // Locked: a cancel committing meanwhile must not be overwritten by this job's own update.
            var export = await db.LockExportAsync(job.ExportId, ct);
            // Finished, or cancelled while queued: a cancelled export's job is skipped when it arrives.
            if (export is null || export.IsFinished)
            {
                return null;
            }

            export.Attempts++;
            if (export.Status == ExportStatus.Queued)
            {
                export.Status = ExportStatus.Running;
                export.StartedAt = timeProvider.GetUtcNow();
                await events.AppendAsync(export, ExportEventTypes.Progress, "Reading issues from Jira", ct);
            }

            await db.SaveChangesAsync(ct);
            return export;
        }, cancellationToken);

    private async Task<List<ReportIssue>> FetchIssuesAsync(Export export, JiraSite site, CancellationToken cancellationToken)
    {
        var issues = new List<ReportIssue>();
        var pages = 0;
        await foreach (var page in jira.SearchAsync(site, export.Jql, JiraFieldSets.IssueList, cancellationToken))
        {
            pages++;
            issues.AddRange(page.Issues.Select(ToReportIssue));
            // Data Center tells the total; Cloud does not, so progress there approaches the share page by page.
            var progress = page.Total is > 0 and var total
                ? (int)((long)FetchProgressShare * issues.Count / total)
                : FetchProgressShare - (FetchProgressShare / (pages + 1));
            await ReportProgressAsync(export, Math.Min(progress, FetchProgressShare), $"Read {issues.Count} issues", cancellationToken);
        }

        return issues;
    }

    /// <summary>
    /// Reads the issues from the synced store: Jira answers only which ids the JQL matches, in its order (the cheapest
    /// search, 5,000 ids a page on Cloud, and Jira's own JQL and permissions decide), the store the rest. Issues the
    /// store lacks (outside the synced scope, or created since) are fetched live. The watermark of the data is recorded.
    /// </summary>
    private async Task<List<ReportIssue>> ReadFromStoreAsync(Export export, JiraConnection connection, JiraSite site, CancellationToken cancellationToken)
    {
        var ids = await jira.SearchIdsAsync(site, export.Jql, cancellationToken);
        await ReportProgressAsync(export, FetchProgressShare / 3, $"Jira matched {ids.Count} issues; reading them from the store", cancellationToken);
        var numeric = ids.Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var stored = new Dictionary<long, ReportIssue>(numeric.Count);
        foreach (var chunk in numeric.Chunk(5000))
        {
            var rows = await InTransactionAsync(ct => db.SyncedIssues.AsNoTracking()
                .Where(i => i.ConnectionId == connection.Id && chunk.Contains(i.IssueId))
                .Select(i => new { i.IssueId, Issue = new ReportIssue(i.Key, i.Summary, i.StatusName ?? string.Empty, i.AssigneeName, i.Priority, i.Updated) })
                .ToListAsync(ct), cancellationToken);
            foreach (var row in rows)
            {
                stored[row.IssueId] = row.Issue;
            }
        }

        var missing = ids.Where((_, index) => !stored.ContainsKey(numeric[index])).ToList();
        foreach (var chunk in missing.Chunk(JiraClient.MaxIssuesPerFetch))
        {
            foreach (var document in await jira.FetchIssuesAsync(site, chunk, cancellationToken))
            {
                stored[long.Parse(document.Id, System.Globalization.CultureInfo.InvariantCulture)] = ToReportIssue(document);
            }
        }

        export.SyncWatermark = connection.SyncWatermark;
        LogReadFromStore(logger, export.Id, ids.Count - missing.Count, missing.Count);
        return numeric.Where(stored.ContainsKey).Select(id => stored[id]).ToList();
    }

    /// <summary>
    /// Raises the stored progress and emits an event only when it grows by a visible step; a re-run after a
    /// crash therefore never repeats an event the first run already sent.
    /// </summary>
    private async Task ReportProgressAsync(Export export, int progress, string message, CancellationToken cancellationToken)
    {
        if (progress < export.Progress + 5 && progress < 100)
        {
            return;
        }

        await InTransactionAsync(async ct =>
        {
            var raised = await db.Exports
                .Where(e => e.Id == export.Id && e.Status == ExportStatus.Running && e.Progress < progress)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Progress, progress), ct);
            if (raised == 1)
            {
                export.Progress = progress;
                await events.AppendAsync(export, ExportEventTypes.Progress, message, ct);
                await db.SaveChangesAsync(ct);
            }

            return raised;
        }, cancellationToken);
    }

    /// <summary>Stores the file and the final state; false when another delivery of the same job got there first.</summary>
    private async Task<bool> CompleteAsync(Export export, Guid messageId, int issueCount, byte[] content, CancellationToken cancellationToken) =>
        await InTransactionAsync(async ct =>
        {
            // Lock the row: two deliveries racing to the finish must not both store a file.
            var current = await db.Exports
                .FromSql($"SELECT * FROM exports WHERE id = {export.Id} FOR UPDATE")
                .SingleOrDefaultAsync(ct);
            if (current is not null)
            {
                // The context tracks this row already and would hand back its stale copy: read what is locked.
                await db.Entry(current).ReloadAsync(ct);
            }

            if (current is null || current.Status != ExportStatus.Running || await db.HasProcessedAsync(messageId, ConsumerName, ct))
            {
                return false;
            }

            var now = timeProvider.GetUtcNow();
            var fileName = FileNameFor(current, now);
            db.ExportFiles.Add(new ExportFile
            {
                ExportId = current.Id,
                TenantId = current.TenantId,
                FileName = fileName,
                ContentType = ExportFormats.FileKind(current.Format).ContentType,
                Content = content,
                CreatedAt = now,
            });
            current.Status = ExportStatus.Succeeded;
            current.Progress = 100;
            current.IssueCount = issueCount;
            current.FileName = fileName;
            current.SizeBytes = content.Length;
            current.CompletedAt = now;
            current.Error = null;
            current.Source = export.Source;
            current.SyncWatermark = export.SyncWatermark;
            await events.AppendAsync(current, ExportEventTypes.Completed, $"Exported {issueCount} issues", ct);
            outbox.NotifyParentOfFinishedPart(current);
            await usage.RecordExportAsync(current.Id, current.Format == ExportFormats.Pdf ? PdfPages.Count(content) : 0, content.Length, ct);
            db.MarkProcessed(messageId, ConsumerName, now);
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    private Task<bool> IsCancelledAsync(Guid exportId, CancellationToken cancellationToken) =>
        InTransactionAsync(ct => db.Exports.AnyAsync(e => e.Id == exportId && e.Status == ExportStatus.Cancelled, ct), cancellationToken);

    private async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static ReportIssue ToReportIssue(JiraIssue issue) => new(
        issue.Key,
        issue.Fields.Summary ?? string.Empty,
        issue.Fields.Status?.Name ?? string.Empty,
        issue.Fields.Assignee?.DisplayName,
        issue.Fields.Priority?.Name,
        issue.Fields.Updated ?? issue.Fields.Created ?? DateTimeOffset.MinValue);

    private static ReportIssue ToReportIssue(JiraIssueDocument document)
    {
        var fields = document.Fields.Deserialize<JiraIssueFields>(JsonSerializerOptions.Web);
        return ToReportIssue(new JiraIssue(document.Id, document.Key, fields ?? new JiraIssueFields(null, null, null, null, null, null)));
    }

    private static string FileNameFor(Export export, DateTimeOffset now)
    {
        var stem = UnsafeFileNameCharacters().Replace(export.Title ?? "jira-export", "-").Trim('-');
        if (stem.Length == 0)
        {
            stem = "jira-export";
        }

        return $"{(stem.Length > 80 ? stem[..80] : stem)}-{now:yyyyMMdd-HHmm}.{ExportFormats.FileKind(export.Format).Extension}";
    }

    [GeneratedRegex(@"[^\p{L}\p{Nd}_.-]+")]
    private static partial Regex UnsafeFileNameCharacters();

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId}: read {IssueCount} issues in {ElapsedMs} ms")]
    private static partial void LogFetched(ILogger logger, Guid exportId, int issueCount, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId}: rendered {SizeBytes} bytes in {ElapsedMs} ms")]
    private static partial void LogRendered(ILogger logger, Guid exportId, int sizeBytes, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId}: {Stored} issues from the store, {Live} fetched live")]
    private static partial void LogReadFromStore(ILogger logger, Guid exportId, int stored, int live);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} was cancelled; stopped before rendering")]
    private static partial void LogCancelled(ILogger logger, Guid exportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid exportId, string reason);
}

/// <summary>A failure no retry can mend; its message is shown to the user as the export's error.</summary>
public sealed class ExportFailedException(string message) : Exception(message);
