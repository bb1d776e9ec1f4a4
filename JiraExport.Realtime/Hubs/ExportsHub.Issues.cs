using System.Text.RegularExpressions;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Hubs;

/// <summary>Live issues: a browser showing a project or an issue hears when Jira changes it (through Jira's webhooks).</summary>
public sealed partial class ExportsHub
{
    private const string IssueGroupsItem = "issue-groups";

    private const int MaxIssueGroupsPerConnection = 100;

    /// <summary>Issues of project <paramref name="projectKey"/> of connection <paramref name="connectionId"/>: <c>issueChanged</c>, <c>issueDeleted</c>.</summary>
    public async Task SubscribeToProject(Guid connectionId, string projectKey)
    {
        await EnsureConnectionExistsAsync(connectionId);
        await JoinIssueGroupAsync(HubGroups.Project(CallerTenant(), connectionId, JiraKey(projectKey)));
    }

    public async Task UnsubscribeFromProject(Guid connectionId, string projectKey)
    {
        await LeaveIssueGroupAsync(HubGroups.Project(CallerTenant(), connectionId, JiraKey(projectKey)));
    }

    /// <summary>One issue, by its key (<c>DEV-42</c>), of connection <paramref name="connectionId"/>.</summary>
    public async Task SubscribeToIssue(Guid connectionId, string issueKey)
    {
        await EnsureConnectionExistsAsync(connectionId);
        await JoinIssueGroupAsync(HubGroups.Issue(CallerTenant(), connectionId, JiraKey(issueKey)));
    }

    public async Task UnsubscribeFromIssue(Guid connectionId, string issueKey)
    {
        await LeaveIssueGroupAsync(HubGroups.Issue(CallerTenant(), connectionId, JiraKey(issueKey)));
    }

    /// <summary>A connection follows so many projects and issues at most: each is a group, and a subscription of the backplane.</summary>
    private async Task JoinIssueGroupAsync(string group)
    {
        var joined = ConnectionSet(IssueGroupsItem);
        if (joined.Count >= MaxIssueGroupsPerConnection && !joined.Contains(group))
        {
            throw new HubException($"A connection follows {MaxIssueGroupsPerConnection} projects and issues at most; unsubscribe from one first.");
        }

        joined.Add(group);
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
    }

    private async Task LeaveIssueGroupAsync(string group)
    {
        ConnectionSet(IssueGroupsItem).Remove(group);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
    }

    private async Task EnsureConnectionExistsAsync(Guid connectionId)
    {
        tenantContext.Set(CallerTenant());
        if (!await db.InTransactionAsync(ct => db.JiraConnections.AnyAsync(c => c.Id == connectionId, ct), Context.ConnectionAborted))
        {
            // Same answer for "missing" and "another tenant's".
            throw new HubException($"No Jira connection {connectionId} exists in this tenant.");
        }
    }

    /// <summary>A project or issue key as Jira writes it (letters, digits, <c>_</c>, <c>-</c>), upper case.</summary>
    private static string JiraKey(string key) =>
        key is { Length: > 0 and <= 100 } && KeyPattern().IsMatch(key)
            ? key.ToUpperInvariant()
            : throw new HubException("A Jira key has 1 to 100 letters, digits, '_' or '-', such as DEV or DEV-42.");

    [GeneratedRegex(@"\A[A-Za-z0-9_-]+\z")]
    private static partial Regex KeyPattern();
}
