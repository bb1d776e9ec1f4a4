using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// A full sync of a narrower scope than the store holds deletes only what Jira really deleted, and a one-off scope does
/// not become the connection's. Its own system: the tests delete issues in the simulator.
/// </summary>
public sealed class SyncScopeTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Broad = "project = DELTA";
    private const string Narrow = "project = DELTA AND issuetype = Bug";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFullSyncOfANarrowerJqlDeletesNothingOutsideIt()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = Broad }, Token);
        var stored = (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count;
        Assert.True(stored > await system.CountJiraIssuesAsync(Narrow, Token), "The narrow scope must leave issues outside it.");

        var narrow = await tenant.SyncAsync(new { mode = "full", jql = Narrow }, Token);

        Assert.Equal(0, narrow.Deleted);
        Assert.Equal(stored, (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count);
    }

    [Fact]
    public async Task AFullSyncOfANarrowerJqlStillDeletesWhatJiraDeleted()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = Broad }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var victim = stored.First(i => i.IssueType == "Story");
        await system.DeleteJiraIssueAsync(victim.Key, Token);

        // The deleted Story is outside the narrow JQL, yet Jira confirms it gone: the store follows Jira.
        var narrow = await tenant.SyncAsync(new { mode = "full", jql = Narrow }, Token);

        await AssertOnlyTheDeletedIssueIsGoneAsync(tenant, stored, victim, narrow);
    }

    [Fact]
    public async Task DataCenterFindsTheOneDeletedIssueAmongThoseOutsideTheScope()
    {
        var tenant = await system.CreateTenantAsync(Token, deployment: "datacenter", auth: new { type = "bearer", token = "sim-personal-access-token" });
        await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA" }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var victim = stored.Where(i => i.IssueType != "Bug").ElementAt(stored.Count / 3);
        await system.DeleteJiraIssueAsync(victim.Key, Token);

        var narrow = await tenant.SyncAsync(new { mode = "full", jql = "project = GAMMA AND issuetype = Bug" }, Token);

        await AssertOnlyTheDeletedIssueIsGoneAsync(tenant, stored, victim, narrow);
    }

    [Fact]
    public async Task AFirstSyncWithoutAScopeCoversEveryProjectTheCredentialsSeeAndStaysTheDefault()
    {
        var tenant = await system.CreateTenantAsync(Token);

        var everything = await tenant.SyncAsync(new { mode = "full" }, Token);

        // The empty scope is every project; a full run asks Jira which those are, each time.
        Assert.Equal(string.Empty, everything.Scope);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        Assert.Equal(["ALPHA", "BETA", "DELTA", "GAMMA"], stored.Select(i => i.Project).Distinct().Order());
        Assert.Equal(await system.CountJiraIssuesAsync("project in (ALPHA, BETA, DELTA, GAMMA)", Token), stored.Count);
        Assert.Equal(stored.Count, everything.IssuesWritten);

        // Later runs without a scope keep it, and an incremental one trusts the watermark the full run left.
        var next = await tenant.SyncAsync(new { mode = "incremental" }, Token);
        Assert.Equal((string.Empty, "incremental"), (next.Scope, next.Mode));
        Assert.True(next.IssuesSeen < stored.Count, $"The incremental run walked {next.IssuesSeen} of {stored.Count} issues.");
    }

    [Fact]
    public async Task AOneOffScopeDoesNotBecomeTheScopeOfLaterSyncs()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var first = await tenant.SyncAsync(new { mode = "full", jql = Broad }, Token);
        await tenant.SyncAsync(new { mode = "full", jql = Narrow }, Token);

        var unnamed = await tenant.SyncAsync(new { mode = "full" }, Token);

        Assert.Equal(first.Scope, unnamed.Scope);
        Assert.Equal(first.IssuesSeen, unnamed.IssuesSeen);
    }

    [Fact]
    public async Task ASharpDropIsHeldUntilAPersonConfirmsItAndIssuesSeenAgainMeanwhileStay()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = BETA" }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        // A fifth of the project vanishes at once, as when a permission scheme hides it: past the 10 % a run applies.
        var vanished = stored.Take(Math.Max(20, stored.Count / 5)).ToList();
        Assert.True(vanished.Count < stored.Count, $"BETA has only {stored.Count} issues.");
        foreach (var issue in vanished)
        {
            await system.DeleteJiraIssueAsync(issue.Key, Token);
        }

        var held = await tenant.SyncAsync(new { mode = "full" }, Token);
        Assert.Equal((0, vanished.Count), (held.Deleted, held.DeletionsHeld));
        Assert.Equal(stored.Count, (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count);

        // Jira gives one of them back and a later run sees it. The simulator cannot restore a deleted issue, so the store is
        // arranged as that later run leaves it: the issue marked seen by it.
        var cameBack = vanished[0];
        var later = await tenant.SyncAsync(new { mode = "incremental" }, Token);
        await system.ExecuteAsOwnerAsync("UPDATE jira_issues SET last_seen_job_id = @later WHERE connection_id = @connection AND issue_id = @id",
            new Dictionary<string, object> { ["later"] = later.Id, ["connection"] = tenant.ConnectionId, ["id"] = cameBack.Id }, Token);

        // Another is written by a Jira webhook after the run (which keeps the run that last saw it): alive too.
        var writtenByWebhook = vanished[1];
        await system.ExecuteAsOwnerAsync("UPDATE jira_issues SET synced_at = now() WHERE connection_id = @connection AND issue_id = @id",
            new Dictionary<string, object> { ["connection"] = tenant.ConnectionId, ["id"] = writtenByWebhook.Id }, Token);

        using var confirmed = await tenant.Client.PostAsync($"/api/v1/sync-jobs/{held.Id}/deletions", content: null, Token);
        var run = await confirmed.Content.ReadFromJsonAsync<SyncJobState>(Token);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, $"{confirmed.StatusCode} {run}");
        Assert.Equal((vanished.Count - 2, 0), (run!.Deleted, run.DeletionsHeld));
        var remaining = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        Assert.Equal(stored.Count - vanished.Count + 2, remaining.Count);
        Assert.Contains(remaining, i => i.Key == cameBack.Key);
        Assert.Contains(remaining, i => i.Key == writtenByWebhook.Key);

        using var again = await tenant.Client.PostAsync($"/api/v1/sync-jobs/{held.Id}/deletions", content: null, Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task AnIssueThatLeavesTheConnectionsScopeLeavesTheStoreButOneOutsideAOneOffScopeStays()
    {
        var tenant = await system.CreateTenantAsync(Token);
        const string openAlpha = "project = ALPHA AND status != \"Done\"";
        await tenant.SyncAsync(new { mode = "full", jql = openAlpha }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var finished = stored.First(i => i.Status != "Done");
        await system.TransitionJiraIssueAsync(finished.Key, "Done", Token);

        // A one-off narrower run keeps what it did not see; the connection's own scope is what the store mirrors.
        var oneOff = await tenant.SyncAsync(new { mode = "full", jql = openAlpha + " AND issuetype = Bug" }, Token);
        Assert.Equal((0, 0), (oneOff.Deleted, oneOff.LeftScope));
        Assert.Equal(stored.Count, (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count);

        var own = await tenant.SyncAsync(new { mode = "full" }, Token);
        Assert.Equal((0, 1), (own.Deleted, own.LeftScope));
        var remaining = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        Assert.Equal(stored.Count - 1, remaining.Count);
        Assert.DoesNotContain(remaining, i => i.Key == finished.Key);
    }

    [Fact]
    public async Task ManyIssuesLeavingTheScopeAtOnceAreHeldLikeDeletions()
    {
        // A search index that stops answering makes issues look "outside the scope" just as a permission change makes
        // them look deleted: removing many at once waits for a person either way.
        var tenant = await system.CreateTenantAsync(Token);
        await tenant.SyncAsync(new { mode = "full", jql = "project = BETA AND status != \"Done\"" }, Token);
        var stored = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        var finished = stored.Take(Math.Max(20, stored.Count / 5)).ToList();
        foreach (var issue in finished)
        {
            await system.TransitionJiraIssueAsync(issue.Key, "Done", Token);
        }

        var held = await tenant.SyncAsync(new { mode = "full" }, Token);

        Assert.Equal((0, 0, finished.Count), (held.Deleted, held.LeftScope, held.DeletionsHeld));
        Assert.Equal(stored.Count, (await tenant.ListStoredIssuesAsync(string.Empty, Token)).Count);
    }

    private static async Task AssertOnlyTheDeletedIssueIsGoneAsync(TestTenant tenant, List<StoredIssue> stored, StoredIssue victim, SyncJobState run)
    {
        Assert.Equal(1, run.Deleted);
        var remaining = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        Assert.Equal(stored.Count - 1, remaining.Count);
        Assert.DoesNotContain(remaining, i => i.Key == victim.Key);
    }
}
