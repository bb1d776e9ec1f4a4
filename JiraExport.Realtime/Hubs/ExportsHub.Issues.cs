using System.Text.RegularExpressions;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Hubs;

/// <summary>Live issues: a browser showing a project or an issue hears when Jira changes it (through Jira's webhooks).</summary>
public sealed partial class ExportsHub
{
    /// <summary>Issues of project <paramref name="projectKey"/> of connection <paramref name="connectionId"/>: <c>issueChanged</c>, <c>issueDeleted</c>.</summary>
    public async Task SubscribeToProject(Guid connectionId, string projectKey)
    {
        await EnsureConnectionExistsAsync(connectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Project(CallerTenant(), connectionId, JiraKey(projectKey)), Context.ConnectionAborted);
    }

    public async Task UnsubscribeFromProject(Guid connectionId, string projectKey)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Project(CallerTenant(), connectionId, JiraKey(projectKey)), Context.ConnectionAborted);
    }

    /// <summary>One issue, by its key (<c>DEV-42</c>), of connection <paramref name="connectionId"/>.</summary>
    public async Task SubscribeToIssue(Guid connectionId, string issueKey)
    {
        await EnsureConnectionExistsAsync(connectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Issue(CallerTenant(), connectionId, JiraKey(issueKey)), Context.ConnectionAborted);
    }

    public async Task UnsubscribeFromIssue(Guid connectionId, string issueKey)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Issue(CallerTenant(), connectionId, JiraKey(issueKey)), Context.ConnectionAborted);
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

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex KeyPattern();
}
