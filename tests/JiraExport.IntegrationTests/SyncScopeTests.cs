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
    public async Task AOneOffScopeDoesNotBecomeTheScopeOfLaterSyncs()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var first = await tenant.SyncAsync(new { mode = "full", jql = Broad }, Token);
        await tenant.SyncAsync(new { mode = "full", jql = Narrow }, Token);

        var unnamed = await tenant.SyncAsync(new { mode = "full" }, Token);

        Assert.Equal(first.Scope, unnamed.Scope);
        Assert.Equal(first.IssuesSeen, unnamed.IssuesSeen);
    }

    private static async Task AssertOnlyTheDeletedIssueIsGoneAsync(TestTenant tenant, List<StoredIssue> stored, StoredIssue victim, SyncJobState run)
    {
        Assert.Equal(1, run.Deleted);
        var remaining = await tenant.ListStoredIssuesAsync(string.Empty, Token);
        Assert.Equal(stored.Count - 1, remaining.Count);
        Assert.DoesNotContain(remaining, i => i.Key == victim.Key);
    }
}
