using System.Diagnostics.CodeAnalysis;

namespace JiraExport.Core.Domain;

public enum ExportStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,

    /// <summary>Succeeded once; its file is gone (retention passed, or deleted to free space). The record stays.</summary>
    Expired,

    /// <summary>Stopped on request before it finished; a bulk export's unfinished parts are cancelled with it.</summary>
    Cancelled,
}

public sealed class Export
{
    /// <summary>A preview renders the first issues the JQL matches, enough to judge a template.</summary>
    public const int PreviewMaxIssues = 50;

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? ConnectionId { get; set; }
    public required string Jql { get; set; }
    public required string Format { get; set; }
    public required string Template { get; set; }
    public string? Title { get; set; }
    /// <summary>Changed only by the methods below (and, for a bulk export's unfinished parts, by one bulk update).</summary>
    public ExportStatus Status { get; private set; }

    /// <summary>0–100; only ever grows, so a re-delivered job never repeats a progress event.</summary>
    public int Progress { get; set; }
    public int? IssueCount { get; set; }
    public string? Error { get; set; }

    /// <summary>The latest progress message (the one its live event carried): "Reading issues from Jira", "Exported 12 issues".</summary>
    public string? Message { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? FileName { get; set; }
    public long? SizeBytes { get; set; }

    /// <summary>Where the issues are read: <c>store</c> (the synced copy; the default) or <c>live</c> (Jira, every field).</summary>
    public string Source { get; set; } = ExportSources.Store;

    /// <summary>For a store export, the sync watermark of the data it read: changes after it are not in the file.</summary>
    public DateTimeOffset? SyncWatermark { get; set; }

    /// <summary>The published template version the file was rendered with, so an old report can be rendered again exactly.</summary>
    public int? TemplateVersion { get; set; }

    /// <summary>The fields of the issue list (columns of CSV/XLSX, keys of JSON); null: the template's default set.</summary>
    public List<string>? Fields { get; set; }

    public ExportOptions? Options { get; set; }

    /// <summary>The tenant template rendered (null: a built-in one); with no version, its draft (a preview).</summary>
    public Guid? TemplateId { get; set; }
    public Guid? TemplateVersionId { get; set; }

    /// <summary>A template preview: rendered like an export, left out of the export list and the daily quota.</summary>
    public bool IsPreview { get; set; }

    /// <summary>Who asked for the file: the person's name and email, or the API key's name. Shown by a watermark's <c>{user}</c>.</summary>
    public string? RequestedBy { get; set; }

    /// <summary>The user's or API key's id behind <see cref="RequestedBy"/>, for usage per person; null for a schedule's run.</summary>
    public Guid? RequestedById { get; set; }

    /// <summary>When the stored file is deleted: completion plus the tenant's retention; after that the status is expired.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The scheduled report run this export renders; its completion delivers the file (<see cref="ReportScheduleRun"/>).</summary>
    public Guid? ScheduleRunId { get; set; }

    /// <summary>Set on a bulk (parent) export: how the request splits into parts and how they are packaged.</summary>
    public BulkSpec? Bulk { get; set; }

    /// <summary>A bulk export's parts as planned once by the Worker, so a re-plan after a crash creates the same parts.</summary>
    public List<BulkPart>? BulkPlan { get; set; }

    /// <summary>A bulk export's number of parts, known once planned.</summary>
    public int? PartCount { get; set; }

    /// <summary>When the bulk export's packaging job was queued; set once, so every part finishing queues it at most once.</summary>
    public DateTimeOffset? PackagingQueuedAt { get; set; }

    /// <summary>Set on a part of a bulk export: the parent it belongs to.</summary>
    public Guid? ParentExportId { get; set; }

    /// <summary>A part's position in its bulk export (0-based); unique per parent, so planning twice cannot create a part twice.</summary>
    public int? Ordinal { get; set; }

    public bool IsFinished => Status is ExportStatus.Succeeded or ExportStatus.Failed or ExportStatus.Cancelled or ExportStatus.Expired;

    /// <summary>An error is kept to this length; Jira's messages can be long.</summary>
    public const int MaxErrorLength = 2000;

    /// <summary>The first attempt of a queued export starts it; a retried one is already running.</summary>
    /// <returns>Whether it started now.</returns>
    public bool Start(DateTimeOffset now)
    {
        if (Status != ExportStatus.Queued)
        {
            return false;
        }

        Status = ExportStatus.Running;
        StartedAt = now;
        return true;
    }

    /// <summary>The file is stored: <paramref name="note"/> says what went partly wrong (a bulk export's failed parts).</summary>
    public void Succeed(DateTimeOffset now, string fileName, long sizeBytes, int? issueCount, DateTimeOffset? expiresAt, string? note = null)
    {
        Status = ExportStatus.Succeeded;
        Progress = 100;
        IssueCount = issueCount;
        FileName = fileName;
        SizeBytes = sizeBytes;
        CompletedAt = now;
        ExpiresAt = expiresAt;
        Error = note;
    }

    [MemberNotNull(nameof(Error))]
    public void Fail(string reason, DateTimeOffset now)
    {
        Status = ExportStatus.Failed;
        Error = reason.Length > MaxErrorLength ? reason[..MaxErrorLength] : reason;
        CompletedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        Status = ExportStatus.Cancelled;
        CompletedAt = now;
    }

    /// <summary>The stored file is gone; a succeeded export becomes expired, the record stays.</summary>
    public void Expire()
    {
        Status = ExportStatus.Expired;
    }
}

public static class ExportSources
{
    public const string Store = "store";
    public const string Live = "live";
}
