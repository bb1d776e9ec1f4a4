using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record SyncJobState(
    Guid Id, Guid ConnectionId, string Mode, string Scope, string Status, int Progress, int? IssuesExpected, int IssuesSeen,
    int IssuesWritten, int Deleted, int DeletionsHeld, int LeftScope, int Pages, DateTimeOffset? ChangedSince, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Error);

public sealed record SyncAccepted(Guid JobId, string Status, string Mode, bool AlreadyActive);

public sealed record StoredIssue(
    Guid ConnectionId, long Id, string Key, string Project, string Summary, string? IssueType, string? Status, string? StatusCategory,
    string? Priority, string? AssigneeAccountId, string? Assignee, DateTimeOffset? Created, DateTimeOffset Updated);

/// <summary>A page of stored issues in either version's shape: v1's <c>nextCursor</c>, v2's <c>next</c>.</summary>
public sealed record StoredIssuePage(List<StoredIssue> Items, string? NextCursor, string? Next);

public sealed record StoredTransition(
    string HistoryId, DateTimeOffset At, string? FromStatusId, string? FromStatus, string? ToStatusId, string? ToStatus, string? AuthorAccountId, string? Author);

public sealed record StoredComment(string Id, string? AuthorAccountId, string? Author, DateTimeOffset Created, DateTimeOffset? Updated, string BodyHtml, string BodyText);

public sealed record StoredWorklog(string Id, string? AuthorAccountId, string? Author, DateTimeOffset Started, int TimeSpentSeconds, string? Comment);

public sealed record StoredSprint(long Id, long? BoardId, string Name, string State, DateTimeOffset? StartDate, DateTimeOffset? EndDate, DateTimeOffset? CompleteDate, string? Goal);

public sealed record StoredLink(string Id, string Type, string Relation, long OtherIssueId, string OtherKey);

public sealed record StoredIssueDetail(
    StoredIssue Issue, string? DescriptionHtml, string? DescriptionText, JsonElement Fields, List<StoredTransition> Transitions,
    List<StoredComment> Comments, List<StoredWorklog> Worklogs, List<StoredSprint> Sprints, List<StoredLink> Links, JsonElement Changelog,
    DateTimeOffset SyncedAt);

/// <summary>The REST calls the tests make about syncs and the synced store, with waits that fail with the last state seen.</summary>
public static class SyncClient
{
    public static async Task<SyncAccepted> StartSyncAsync(this TestTenant tenant, object body, CancellationToken cancellationToken)
    {
        using var response = await tenant.Client.PostAsJsonAsync($"/api/v1/connections/{tenant.ConnectionId}/sync", body, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var accepted = (await response.Content.ReadFromJsonAsync<SyncAccepted>(cancellationToken))!;
        Assert.Equal($"/api/v1/sync-jobs/{accepted.JobId}", response.Headers.Location?.ToString());
        return accepted;
    }

    public static async Task<SyncJobState> GetSyncJobAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken) =>
        (await tenant.Client.GetFromJsonAsync<SyncJobState>($"/api/v1/sync-jobs/{id}", cancellationToken))!;

    public static async Task<SyncJobState> WaitForSyncAsync(
        this TestTenant tenant, Guid id, Func<SyncJobState, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        SyncJobState? last = null;
        try
        {
            while (true)
            {
                last = await tenant.GetSyncJobAsync(id, deadline.Token);
                if (until(last))
                {
                    return last;
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Sync {id} did not reach the expected state within {timeout}; last seen: {last}");
        }
    }

    /// <summary>Starts a sync and waits for it to end; fails the test unless it succeeded.</summary>
    public static async Task<SyncJobState> SyncAsync(this TestTenant tenant, object body, CancellationToken cancellationToken)
    {
        var accepted = await tenant.StartSyncAsync(body, cancellationToken);
        var job = await tenant.WaitForSyncAsync(accepted.JobId, j => j.Status is "succeeded" or "failed", TimeSpan.FromMinutes(3), cancellationToken);
        Assert.True(job.Status == "succeeded", $"The sync failed: {job}");
        return job;
    }

    /// <summary>Every stored issue of the tenant's connection, following the cursor.</summary>
    public static async Task<List<StoredIssue>> ListStoredIssuesAsync(this TestTenant tenant, string query, CancellationToken cancellationToken)
    {
        var issues = new List<StoredIssue>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/issues?connectionId={tenant.ConnectionId}&limit=200{query}{(cursor is null ? string.Empty : $"&cursor={cursor}")}";
            var page = (await tenant.Client.GetFromJsonAsync<StoredIssuePage>(url, cancellationToken))!;
            issues.AddRange(page.Items);
            cursor = page.NextCursor ?? page.Next;
        }
        while (cursor is not null);

        return issues;
    }

    public static async Task<StoredIssueDetail> GetStoredIssueAsync(this TestTenant tenant, string key, CancellationToken cancellationToken) =>
        (await tenant.Client.GetFromJsonAsync<StoredIssueDetail>($"/api/v1/issues/{key}?connectionId={tenant.ConnectionId}", cancellationToken))!;
}
