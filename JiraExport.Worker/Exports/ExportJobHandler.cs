using System.Diagnostics;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Core.Storage;
using JiraExport.Core.Tenancy;
using JiraExport.Worker.Exports.IssueLists;
using JiraExport.Worker.Exports.Chromium;
using JiraExport.Worker.Exports.Reports;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Exports;

/// <summary>
/// Runs one export: reads the issues (from the synced store or live from Jira), renders the PDF or streams the CSV, XLSX or
/// JSON (<see cref="IssueListExporter"/>), stores the file in the artifact store. Each state change commits
/// together with its domain event; the file, the final state and the inbox record commit in one transaction,
/// so a job delivered twice (a crashed Worker, a re-sent outbox row) still yields one file and one completion.
/// </summary>
public sealed partial class ExportJobHandler(
    JiraExportDbContext db,
    TenantContext tenantContext,
    ExportEventWriter events,
    OutboxWriter outbox,
    UsageRecorder usage,
    JiraSiteResolver sites,
    ReportDocumentRenderer reports,
    IssueListExporter issueLists,
    IExportArtifactStore files,
    StorageQuota storageQuota,
    ScheduledReports scheduledReports,
    ExportMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ExportJobHandler> logger)
{
    public const string ConsumerName = "export-jobs";

    /// <summary>Progress reserved for reading from Jira; printing, finishing and storing take the rest.</summary>
    private const int FetchProgressShare = 60;

    /// <summary>Progress for printing the PDF, part by part; finishing and storing take the last few percent.</summary>
    private const int PrintProgressShare = 35;

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
            var stopwatch = Stopwatch.StartNew();
            // A template preview without JQL renders sample data and needs no Jira.
            var sampleOnly = export.IsPreview && export.Jql.Length == 0;
            var connection = sampleOnly ? null : await db.InTransactionAsync(
                ct => db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == export.ConnectionId, ct), cancellationToken)
                ?? throw new ExportFailedException("The Jira connection of this export was deleted; connect Jira again and request a new export.");
            var site = connection is null ? null : await sites.ResolveAsync(connection, cancellationToken);
            // A store export of a connection that never synced reads live, and says so.
            if (export.Source == ExportSources.Store && connection?.SyncWatermark is null)
            {
                export.Source = ExportSources.Live;
            }

            // A checkpoint: an export cancelled meanwhile (alone or with its bulk export) stops before the costly work.
            if (await IsCancelledAsync(export.Id, cancellationToken))
            {
                LogCancelled(logger, export.Id);
                return;
            }

            if (ExportFormats.IsIssueList(export.Format))
            {
                await WriteIssueListAsync(export, connection!, site!, messageId, stopwatch, cancellationToken);
                return;
            }

            var (content, issueCount) = await reports.RenderAsync(export, connection, site,
                (done, total) => ReportProgressAsync(
                    export, total == 0 ? FetchProgressShare : FetchProgressShare * done / total, $"Read {done} of {total} issues", cancellationToken),
                (printed, parts) => ReportProgressAsync(
                    export, FetchProgressShare + (PrintProgressShare * printed / parts), PrintedMessage(printed, parts), cancellationToken),
                cancellationToken);
            LogRendered(logger, export.Id, content.Length, stopwatch.ElapsedMilliseconds);
            metrics.Rendered(stopwatch.Elapsed);

            using var stream = new MemoryStream(content, writable: false);
            var pages = export.Format == ExportFormats.Pdf ? PdfPages.Count(content) : 0;
            if (await CompleteAsync(export, messageId, issueCount, stream, pages, cancellationToken))
            {
                metrics.Succeeded(export.Format, issueCount, pages);
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
        catch (TemplateLimitException ex)
        {
            await FailAsync(job, messageId, ex.Message, cancellationToken);
        }
    }

    /// <summary>CSV, XLSX and JSON: rows streamed from the store or Jira into a temporary file, then into the artifact store.</summary>
    private async Task WriteIssueListAsync(
        Export export, JiraConnection connection, JiraSite site, Guid messageId, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        if (export.Source == ExportSources.Store)
        {
            export.SyncWatermark = connection.SyncWatermark;
        }

        var info = new IssueListInfo(export.Title ?? "Jira issues", export.Jql, timeProvider.GetUtcNow());
        await using var file = await issueLists.WriteAsync(export, connection.Id, site, info,
            (read, total, ct) => ReportProgressAsync(export,
                total is > 0 ? (int)(90L * read / total.Value) : Math.Min(90, 10 + (read / 1000)), $"Wrote {read} issues", ct),
            cancellationToken);
        LogRendered(logger, export.Id, (int)Math.Min(int.MaxValue, file.Content.Length), stopwatch.ElapsedMilliseconds);
        metrics.Rendered(stopwatch.Elapsed);

        if (await CompleteAsync(export, messageId, file.IssueCount, file.Content, pages: 0, cancellationToken))
        {
            metrics.Succeeded(export.Format, file.IssueCount, pages: 0);
        }
    }

    /// <summary>Marks the export failed with a reason a person can act on; used for permanent errors and spent retries.</summary>
    public async Task FailAsync(ExportRequested job, Guid messageId, string reason, CancellationToken cancellationToken)
    {
        tenantContext.Set(job.TenantId);
        var failedFormat = await db.InTransactionAsync(async ct =>
        {
            if (await db.HasProcessedAsync(messageId, ConsumerName, ct))
            {
                return null;
            }

            // Locked: a cancel committing meanwhile must not be overwritten by this job's own update.
            var export = await db.LockExportAsync(job.ExportId, ct);
            if (export is null || export.IsFinished)
            {
                return null;
            }

            export.Fail(reason, timeProvider.GetUtcNow());
            await events.AppendAsync(export, ExportEventTypes.Failed, export.Error, ct);
            await scheduledReports.ExportEndedWithoutFileAsync(export, $"The export failed: {export.Error}", ct);
            outbox.NotifyParentOfFinishedPart(export);
            db.MarkProcessed(messageId, ConsumerName, timeProvider.GetUtcNow());
            await db.SaveChangesAsync(ct);
            LogFailed(logger, export.Id, export.Error);
            return export.Format;
        }, cancellationToken);
        if (failedFormat is not null)
        {
            metrics.Failed(failedFormat);
        }
    }

    /// <summary>Says what a running export waits for while its job sits in a retry queue (shown as its message, and pushed live).</summary>
    public async Task WaitAsync(ExportRequested job, string message, CancellationToken cancellationToken)
    {
        tenantContext.Set(job.TenantId);
        await db.InTransactionAsync(async ct =>
        {
            var export = await db.LockExportAsync(job.ExportId, ct);
            if (export is null || export.IsFinished)
            {
                return false;
            }

            await events.AppendAsync(export, ExportEventTypes.Progress, message, ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    private async Task<Export?> StartAsync(ExportRequested job, Guid messageId, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async ct =>
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
            if (export.Start(timeProvider.GetUtcNow()))
            {
                await events.AppendAsync(export, ExportEventTypes.Progress, "Reading issues from Jira", ct);
            }

            await db.SaveChangesAsync(ct);
            return export;
        }, cancellationToken);

    private static string PrintedMessage(int printed, int parts) =>
        parts == 1 ? "Printed the PDF; finishing it" : $"Printed part {printed} of {parts} of the PDF";

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

        await db.InTransactionAsync(async ct =>
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

    /// <summary>
    /// Stores the file and the final state in one transaction; false when another delivery of the same job got there first.
    /// A file that would take the tenant past its storage quota fails the export instead (nothing is stored).
    /// </summary>
    private async Task<bool> CompleteAsync(Export export, Guid messageId, int issueCount, Stream content, int pages, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async ct =>
        {
            // What this run learnt about the export; the reload below resets the tracked row (the same object) to the database.
            var (source, watermark, templateVersion) = (export.Source, export.SyncWatermark, export.TemplateVersion);

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

            var storage = await storageQuota.GetUsageAsync(ct);
            if (storage.WouldExceed(content.Length))
            {
                throw new ExportFailedException(
                    $"Storage quota exceeded: the file of {content.Length:N0} bytes would take the tenant past its limit. "
                    + $"{StorageQuota.Describe(storage)} {StorageQuota.HowToFreeSpace}");
            }

            var now = timeProvider.GetUtcNow();
            var fileName = ExportFileNames.For(current.Title, "jira-export", now, ExportFormats.FileKind(current.Format).Extension);
            var stored = await files.WriteAsync(
                new ArtifactDescription(current.Id, fileName, ExportFormats.FileKind(current.Format).ContentType), content, ct);
            var retentionDays = await db.Tenants.Select(t => t.ExportRetentionDays).SingleAsync(ct);
            current.Succeed(now, fileName, stored.Length, issueCount, now.AddDays(retentionDays));
            current.Source = source;
            current.SyncWatermark = watermark;
            current.TemplateVersion = templateVersion;
            await events.AppendAsync(current, ExportEventTypes.Completed, issueCount == 1 ? "Exported 1 issue" : $"Exported {issueCount} issues", ct);
            await scheduledReports.DeliverAsync(current, ct);
            outbox.NotifyParentOfFinishedPart(current);
            if (!current.IsPreview)
            {
                await usage.RecordExportAsync(current.Id, pages, stored.Length, ct);
            }

            db.MarkProcessed(messageId, ConsumerName, now);
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    private Task<bool> IsCancelledAsync(Guid exportId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => db.Exports.AnyAsync(e => e.Id == exportId && e.Status == ExportStatus.Cancelled, ct), cancellationToken);


    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId}: rendered {SizeBytes} bytes in {ElapsedMs} ms")]
    private static partial void LogRendered(ILogger logger, Guid exportId, int sizeBytes, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} was cancelled; stopped before rendering")]
    private static partial void LogCancelled(ILogger logger, Guid exportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid exportId, string reason);
}
