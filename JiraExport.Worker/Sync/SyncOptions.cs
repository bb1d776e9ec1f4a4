using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Sync;

public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>Issues asked for per walk page; each page is one checkpoint. Jira may answer with fewer.</summary>
    [Range(1, 5000)]
    public int WalkPageSize { get; set; } = 100;

    /// <summary>How long a run stays a Worker's without a heartbeat; after that another Worker may take it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far before the watermark an incremental run starts reading: covers clock skew and Jira's minute resolution.</summary>
    public TimeSpan IncrementalOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a run waits out an unavailable Jira (429 storms, outages) before it fails.</summary>
    public TimeSpan UnavailablePatience { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The first wait before a page is read again after Jira was unavailable; it doubles each time.</summary>
    public TimeSpan UnavailableBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the Worker looks for schedules that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Syncs one tenant may run at once across all Workers; the rest wait in <c>jx.sync.wait</c> and come back.</summary>
    [Range(1, 100)]
    public int MaxRunningPerTenant { get; set; } = 1;

    /// <summary>
    /// A full run that finds more than this share of the stored issues gone from Jira holds the deletions for a person
    /// to confirm (<c>POST /sync-jobs/{id}/deletions</c>) instead of applying them; so does <see cref="HoldDeletionsFrom"/>.
    /// </summary>
    [Range(0.0, 1.0)]
    public double HoldDeletionsAboveShare { get; set; } = 0.1;

    /// <summary>Fewer deletions than this are applied whatever their share: a small project losing a few issues is normal.</summary>
    [Range(1, int.MaxValue)]
    public int HoldDeletionsFrom { get; set; } = 20;

    /// <summary>Ids asked of Jira per existence check; the run's lease is renewed between them.</summary>
    [Range(1, 10_000)]
    public int ExistenceCheckBatch { get; set; } = 1_000;

    /// <summary>Sync jobs a Worker runs at once.</summary>
    [Range(1, 32)]
    public int Concurrency { get; set; } = 2;
}
