using System.Text;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Realtime.Dashboards;
using JiraExport.Realtime.EventHandling;
using JiraExport.Realtime.Presence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Hubs;

/// <summary>
/// The tenant's live events: exports, sync runs, connection health and issues changed in Jira, and presence. A client
/// subscribes to the whole tenant, or to one export, project or issue; every join is checked against the caller's
/// tenant, so nobody can listen to another tenant.
/// A client that reconnects subscribes "after" the last sequence it saw and is first sent what it missed, from the log.
/// </summary>
[Authorize(Scopes.ExportsRead)]
public sealed partial class ExportsHub(
    JiraExportDbContext db,
    TenantContext tenantContext,
    OpenConnections openConnections,
    PresenceStore presence,
    DashboardWatchers dashboardWatchers,
    DashboardCounterReader dashboardCounters,
    EventRouting routing) : Hub<IExportsClient>
{
    public const string Path = "/hubs/exports";

    /// <summary>Events a resuming client is sent at most; further back, it reads the log over REST first.</summary>
    public const int MaxReplay = 1_000;

    /// <summary>A suspended, scheduled-for-deletion or purged tenant's credentials open no connection.</summary>
    public override async Task OnConnectedAsync()
    {
        tenantContext.Set(CallerTenant());
        TenantStatus? status;
        await using (var transaction = await db.Database.BeginTransactionAsync(Context.ConnectionAborted))
        {
            status = await db.Tenants.Select(t => (TenantStatus?)t.Status).SingleOrDefaultAsync(Context.ConnectionAborted);
            await transaction.CommitAsync(Context.ConnectionAborted);
        }

        if (status != TenantStatus.Active)
        {
            throw new HubException("This tenant is not active; contact the platform administrator.");
        }

        // Checked again while it stays open (ConnectionRevalidator).
        openConnections.Add(Context);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        openConnections.Remove(Context);
        if (Context.User?.GetTenantId() is { } tenantId)
        {
            dashboardWatchers.Remove(tenantId, Context.ConnectionId);
        }

        await LeaveAllPresenceAsync();
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// Subscribes to every event of the tenant. Returns the tenant's last sequence once joined: a client that
    /// reads state over REST now resumes after it later (<see cref="SubscribeToTenantAfter"/>).
    /// </summary>
    public async Task<long> SubscribeToTenant()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Tenant(CallerTenant()), Context.ConnectionAborted);
        tenantContext.Set(CallerTenant());
        return await db.InTransactionAsync(ct => db.Tenants.Select(t => t.LastEventSequence).SingleAsync(ct), Context.ConnectionAborted);
    }

    public async Task UnsubscribeFromTenant()
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Tenant(CallerTenant()), Context.ConnectionAborted);
    }

    /// <summary>
    /// <see cref="SubscribeToTenant"/> for a client that saw every event up to <paramref name="sequence"/>: it is first
    /// sent the tenant's events after it from the log, oldest first. Returns the last sequence sent. An event that
    /// happens while the client joins may arrive twice; a client drops a sequence it has seen.
    /// </summary>
    public async Task<long> SubscribeToTenantAfter(long sequence)
    {
        var sent = await SendMissedAsync(db.DomainEvents, sequence, toFollowers: false);
        await SubscribeToTenant();
        // What happened between reading the log and joining was pushed to the group before this client was in it.
        return await SendMissedAsync(db.DomainEvents, sent, toFollowers: false);
    }

    public async Task SubscribeToExport(Guid exportId)
    {
        await EnsureExportExistsAsync(exportId);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Export(CallerTenant(), exportId), Context.ConnectionAborted);
    }

    /// <summary><see cref="SubscribeToExport"/> after <paramref name="sequence"/>, as <see cref="SubscribeToTenantAfter"/>.</summary>
    public async Task<long> SubscribeToExportAfter(Guid exportId, long sequence)
    {
        await EnsureExportExistsAsync(exportId);
        var events = db.DomainEvents.Where(e => e.Aggregate == ExportEventTypes.Aggregate && e.AggregateId == exportId);
        var sent = await SendMissedAsync(events, sequence, toFollowers: true);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Export(CallerTenant(), exportId), Context.ConnectionAborted);
        return await SendMissedAsync(events, sent, toFollowers: true);
    }

    private async Task EnsureExportExistsAsync(Guid exportId)
    {
        // Each invocation has its own DI scope, so the tenant is set here from the connection's principal.
        tenantContext.Set(CallerTenant());
        var exists = await db.InTransactionAsync(ct => db.Exports.AnyAsync(e => e.Id == exportId, ct), Context.ConnectionAborted);
        if (!exists)
        {
            // Same answer for "missing" and "another tenant's": existence is not leaked.
            throw new HubException($"No export {exportId} exists in this tenant.");
        }
    }

    /// <summary>
    /// Sends the caller the events of <paramref name="log"/> after <paramref name="sequence"/>; returns the last one read. A
    /// follower (<paramref name="toFollowers"/>) is sent only what the tenant's routing rules send followers, as it would
    /// have been live.
    /// </summary>
    private async Task<long> SendMissedAsync(IQueryable<DomainEvent> log, long sequence, bool toFollowers)
    {
        tenantContext.Set(CallerTenant());
        var missed = await db.InTransactionAsync(ct => log.ReadAfterAsync(sequence, [], MaxReplay + 1, ct), Context.ConnectionAborted);
        if (missed.Count > MaxReplay)
        {
            throw new HubException(
                $"More than {MaxReplay} events happened after sequence {sequence}: read them with GET /api/v1/events?after={sequence}, " +
                "then subscribe after the last one you read.");
        }

        foreach (var domainEvent in missed)
        {
            if (HubEvent.Read(domainEvent.Aggregate, domainEvent.Type, Encoding.UTF8.GetBytes(domainEvent.Payload)) is { } hubEvent
                && (!toFollowers || (await routing.RouteAsync(hubEvent.Subject, hubEvent.Type, Context.ConnectionAborted)).ToFollowers))
            {
                await hubEvent.SendTo(Clients.Caller);
            }

            sequence = domainEvent.Sequence;
        }

        return sequence;
    }

    public async Task UnsubscribeFromExport(Guid exportId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Export(CallerTenant(), exportId), Context.ConnectionAborted);
    }

    /// <summary>A set kept with the connection (hub invocations of one connection run one at a time), made on first use.</summary>
    private HashSet<string> ConnectionSet(string item) =>
        (HashSet<string>)(Context.Items.TryGetValue(item, out var set) ? set! : Context.Items[item] = new HashSet<string>());

    private Guid CallerTenant() =>
        Context.User?.GetTenantId() ?? throw new HubException("The connection is not authenticated as a tenant.");
}
