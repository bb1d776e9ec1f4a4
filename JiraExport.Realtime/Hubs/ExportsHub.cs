using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Realtime.Hubs;

/// <summary>
/// Live export progress. A client subscribes to one export or to all of its tenant's exports; every join is
/// checked against the caller's tenant, so nobody can listen to another tenant's exports.
/// Clients re-read state over REST after each (re)connect: pushes are notifications, not the record.
/// </summary>
[Authorize(Scopes.ExportsRead)]
public sealed class ExportsHub(JiraExportDbContext db, TenantContext tenantContext, OpenConnections openConnections) : Hub<IExportsClient>
{
    public const string Path = "/hubs/exports";

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

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        openConnections.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }

    public async Task SubscribeToTenant()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, ExportGroups.Tenant(CallerTenant()), Context.ConnectionAborted);
    }

    public async Task UnsubscribeFromTenant()
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ExportGroups.Tenant(CallerTenant()), Context.ConnectionAborted);
    }

    public async Task SubscribeToExport(Guid exportId)
    {
        var tenantId = CallerTenant();
        // Each invocation has its own DI scope, so the tenant is set here from the connection's principal.
        tenantContext.Set(tenantId);
        bool exists;
        await using (var transaction = await db.Database.BeginTransactionAsync(Context.ConnectionAborted))
        {
            exists = await db.Exports.AnyAsync(e => e.Id == exportId, Context.ConnectionAborted);
            await transaction.CommitAsync(Context.ConnectionAborted);
        }

        if (!exists)
        {
            // Same answer for "missing" and "another tenant's": existence is not leaked.
            throw new HubException($"No export {exportId} exists in this tenant.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, ExportGroups.Export(tenantId, exportId), Context.ConnectionAborted);
    }

    public async Task UnsubscribeFromExport(Guid exportId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ExportGroups.Export(CallerTenant(), exportId), Context.ConnectionAborted);
    }

    private Guid CallerTenant() =>
        Context.User?.GetTenantId() ?? throw new HubException("The connection is not authenticated as a tenant.");
}

public static class ExportGroups
{
    public static string Tenant(Guid tenantId) => $"tenant:{tenantId:N}";

    public static string Export(Guid tenantId, Guid exportId) => $"export:{tenantId:N}:{exportId:N}";
}

/// <summary>What a client receives; <paramref name="Sequence"/> lets it notice a gap and re-read over REST.</summary>
public sealed record ExportNotification(
    Guid ExportId, string Status, int Progress, string? Message, long Sequence, int? IssueCount, string? FileName, long? SizeBytes);

/// <summary>What a client receives about a sync run of its tenant (on the tenant group).</summary>
public sealed record SyncNotification(
    Guid JobId, Guid ConnectionId, string Status, int Progress, int IssuesSeen, int IssuesWritten, int Deleted, string? Error, long Sequence);
