using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Audit;

/// <summary>What one audited request did, as <see cref="AuditTrail"/> records it.</summary>
public sealed record AuditRecord(string ActorKind, Guid ActorId, string Action, string Method, string Target, int Status, string? IpAddress);

/// <summary>Appends entries to the current tenant's audit chain (<see cref="AuditChain"/>).</summary>
public sealed class AuditTrail(JiraExportDbContext db, TenantContext tenant, TimeProvider timeProvider)
{
    /// <summary>
    /// Appends in the transaction already open (a request's, so the entry commits or rolls back with what it records),
    /// or in one of its own.
    /// </summary>
    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("An audit entry belongs to a tenant; none is set.");
        if (db.Database.CurrentTransaction is not null)
        {
            await AppendAsync(tenantId, record, cancellationToken);
        }
        else
        {
            await db.InTransactionAsync(async ct =>
            {
                await AppendAsync(tenantId, record, ct);
                return true;
            }, cancellationToken);
        }
    }

    private async Task AppendAsync(Guid tenantId, AuditRecord record, CancellationToken ct)
    {
        // The head row (made with a tenant's first entry) is locked: one tenant's appends queue here, so the chain has
        // no gaps and no forks, while other tenants' go on.
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO audit_chain_heads (tenant_id, sequence, hash) VALUES ({tenantId}, 0, {AuditChain.Genesis.ToArray()}) ON CONFLICT (tenant_id) DO NOTHING", ct);
        var head = await db.AuditChainHeads.FromSql($"SELECT * FROM audit_chain_heads WHERE tenant_id = {tenantId} FOR UPDATE").SingleAsync(ct);
        var now = timeProvider.GetUtcNow();
        var entry = new AuditEntry
        {
            TenantId = tenantId,
            Sequence = head.Sequence + 1,
            // PostgreSQL keeps microseconds: the hash covers what is stored, so what is read back verifies.
            OccurredAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero),
            ActorKind = record.ActorKind,
            ActorId = record.ActorId,
            Action = Truncate(record.Action, 200),
            Method = Truncate(record.Method, 16),
            Target = Truncate(record.Target, 1000),
            Status = record.Status,
            IpAddress = record.IpAddress is null ? null : Truncate(record.IpAddress, 64),
            PreviousHash = head.Hash,
            Hash = [],
        };
        entry.Hash = AuditChain.ComputeHash(entry);
        db.AuditLog.Add(entry);
        head.Sequence = entry.Sequence;
        head.Hash = entry.Hash;
        await db.SaveChangesAsync(ct);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
