using JiraExport.Core.Domain;

namespace JiraExport.Core.Tests.Domain;

/// <summary>An export's status changes only through its own methods; these are the transitions the pipeline relies on.</summary>
public sealed class ExportLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void ANewExportIsQueuedAndItsFirstAttemptStartsIt()
    {
        var export = NewExport();
        Assert.Equal(ExportStatus.Queued, export.Status);

        Assert.True(export.Start(Now));
        Assert.Equal(ExportStatus.Running, export.Status);
        Assert.Equal(Now, export.StartedAt);

        // A redelivered job finds it running: it does not start again, and keeps its first start time.
        Assert.False(export.Start(Now.AddMinutes(5)));
        Assert.Equal(Now, export.StartedAt);
    }

    [Fact]
    public void SucceedingStoresTheFileAndClearsAnEarlierError()
    {
        var export = NewExport();
        export.Start(Now);
        export.Error = "Jira answered 503; retrying";

        export.Succeed(Now.AddMinutes(1), "report.pdf", 12_345, issueCount: 7, expiresAt: Now.AddDays(30));

        Assert.Equal(ExportStatus.Succeeded, export.Status);
        Assert.True(export.IsFinished);
        Assert.Equal((100, 7, "report.pdf", 12_345L), (export.Progress, export.IssueCount, export.FileName, export.SizeBytes));
        Assert.Equal(Now.AddMinutes(1), export.CompletedAt);
        Assert.Equal(Now.AddDays(30), export.ExpiresAt);
        Assert.Null(export.Error);
    }

    [Fact]
    public void AFailureKeepsAtMostTwoThousandCharactersOfItsReason()
    {
        var export = NewExport();
        export.Fail(new string('x', 5_000), Now);

        Assert.Equal(ExportStatus.Failed, export.Status);
        Assert.Equal(Export.MaxErrorLength, export.Error.Length);
        Assert.Equal(Now, export.CompletedAt);
    }

    [Fact]
    public void CancellingAndExpiringFinishTheExport()
    {
        var cancelled = NewExport();
        cancelled.Cancel(Now);
        Assert.Equal((ExportStatus.Cancelled, Now), (cancelled.Status, cancelled.CompletedAt));
        Assert.True(cancelled.IsFinished);

        var expired = NewExport();
        expired.Succeed(Now, "list.csv", 10, 1, Now.AddDays(1));
        expired.Expire();
        Assert.Equal(ExportStatus.Expired, expired.Status);
        Assert.True(expired.IsFinished);
    }

    private static Export NewExport() => new() { Jql = "project = ABC", Format = "pdf", Template = "issue-list" };
}
