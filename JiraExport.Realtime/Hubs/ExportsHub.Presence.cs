using System.Text.RegularExpressions;
using JiraExport.Core.Identity;
using JiraExport.Core.Tenancy;
using JiraExport.Realtime.Presence;
using Microsoft.AspNetCore.SignalR;

namespace JiraExport.Realtime.Hubs;

/// <summary>
/// Presence: who is viewing an issue, an export or a dashboard, who is editing a template or exporting a project. A client
/// enters a resource (and renews that every 30 s), receives <c>presenceChanged</c> whenever who is there changes, and
/// leaves, or is removed when it disconnects. Resources are named by the client but kept per tenant: the tenant comes
/// from the credential, so another tenant's people are never seen, whatever the name.
/// </summary>
public sealed partial class ExportsHub
{
    private const string PresenceItem = "presence";

    /// <summary>Resources one connection may be present at: a page shows a handful; more would only grow Redis and the groups.</summary>
    private const int MaxPresencePerConnection = 32;

    private static readonly string[] Activities = ["viewing", "editing", "exporting"];

    /// <summary>Enters or renews; answers who is there now (the caller included).</summary>
    public async Task<PresenceNotification> EnterPresence(string resource, string activity)
    {
        if (!Activities.Contains(activity))
        {
            throw new HubException($"The activity is one of {string.Join(", ", Activities)}.");
        }

        resource = Resource(resource);
        if (PresenceResources() is { Count: >= MaxPresencePerConnection } held && !held.Contains(resource))
        {
            throw new HubException($"A connection is present at {MaxPresencePerConnection} resources at most; leave one first.");
        }

        var tenantId = CallerTenant();
        var (kind, principal) = CallerPrincipal();
        var (people, changed) = await presence.EnterAsync(tenantId, resource, Context.ConnectionId, kind, principal, activity);
        PresenceResources().Add(resource);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Presence(tenantId, resource), Context.ConnectionAborted);
        var notification = PresenceNotification.Of(resource, people);
        if (changed)
        {
            await Clients.OthersInGroup(HubGroups.Presence(tenantId, resource)).presenceChanged(notification);
        }

        return notification;
    }

    public async Task LeavePresence(string resource)
    {
        resource = Resource(resource);
        var tenantId = CallerTenant();
        PresenceResources().Remove(resource);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Presence(tenantId, resource), Context.ConnectionAborted);
        await LeaveAsync(tenantId, resource);
    }

    /// <summary>On disconnect: the connection leaves wherever it was, and those still there hear of it.</summary>
    private async Task LeaveAllPresenceAsync()
    {
        if (Context.User?.GetTenantId() is not { } tenantId)
        {
            return;
        }

        foreach (var resource in PresenceResources())
        {
            await LeaveAsync(tenantId, resource);
        }
    }

    private async Task LeaveAsync(Guid tenantId, string resource)
    {
        await presence.LeaveAsync(tenantId, resource, Context.ConnectionId);
        await Clients.Group(HubGroups.Presence(tenantId, resource)).presenceChanged(PresenceNotification.Of(resource, await presence.ReadAsync(tenantId, resource)));
    }

    private HashSet<string> PresenceResources() => ConnectionSet(PresenceItem);

    private (string Kind, Guid Id) CallerPrincipal() =>
        Guid.TryParse(Context.User?.FindFirst(JiraExportClaims.Subject)?.Value, out var user) ? ("user", user)
        : Guid.TryParse(Context.User?.FindFirst(ApiKeyAuthenticationHandler.ApiKeyClaim)?.Value, out var key) ? ("apiKey", key)
        : throw new HubException("The connection is neither a user nor an API key.");

    /// <summary>
    /// <c>issue:{connectionId}:{KEY}</c>, <c>project:{connectionId}:{KEY}</c>, <c>export:{id}</c>, <c>template:{id}</c>
    /// or <c>dashboard:{name}</c>, at most 200 characters; written one way (ids in lower case, keys in upper case), so the
    /// same place has one name.
    /// </summary>
    private static string Resource(string resource)
    {
        if (resource is not { Length: <= 200 } || ResourcePattern().Match(resource) is not { Success: true } match
            || (match.Groups["id"].Success && !Guid.TryParse(match.Groups["id"].Value, out _)))
        {
            throw new HubException("A resource is issue:{connectionId}:{KEY}, project:{connectionId}:{KEY}, export:{id}, template:{id} or dashboard:{name}.");
        }

        var kind = match.Groups["kind"].Value;
        return kind == "dashboard"
            ? resource
            : $"{kind}:{Guid.Parse(match.Groups["id"].Value)}" + (match.Groups["key"].Success ? $":{match.Groups["key"].Value.ToUpperInvariant()}" : "");
    }

    [GeneratedRegex(@"\A(?:(?<kind>issue|project):(?<id>[0-9a-fA-F-]{36}):(?<key>[A-Za-z0-9_-]{1,100})|(?<kind>export|template):(?<id>[0-9a-fA-F-]{36})|(?<kind>dashboard):[A-Za-z0-9_.-]{1,100})\z")]
    private static partial Regex ResourcePattern();
}

/// <summary>Who is at <paramref name="Resource"/> now, earliest first (one entry per open connection).</summary>
public sealed record PresenceNotification(string Resource, IReadOnlyList<PresentPerson> People)
{
    public static PresenceNotification Of(string resource, IReadOnlyList<PresenceEntry> entries) =>
        new(resource, [.. entries.Select(e => new PresentPerson(e.PrincipalKind, e.PrincipalId, e.Activity, e.Since))]);
}

/// <summary>A user (<c>user</c>, their id) or an API key (<c>apiKey</c>, its id) and what it does there since when.</summary>
public sealed record PresentPerson(string Kind, Guid Id, string Activity, DateTimeOffset Since);
