using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Audit;

/// <summary>What one audited request did, as <see cref="AuditTrail"/> records it.</summary>
public sealed record AuditRecord(string ActorKind, Guid ActorId, string Action, string Method, string Target, int Status, string? IpAddress);

/// <summary>
/// Appends entries to the current tenant's audit chain (<see cref="AuditChain"/>). The application's role may not write
/// the audit tables: two functions that run as their owner do, <c>audit_chain_head</c> (locks the tenant's head, making
/// it with a new key on the first entry) and <c>append_audit_entry</c> (adds an entry only right after the head). So one
/// tenant's appends queue, the chain has no gaps or forks, and nothing but an entry that follows can be added.
/// </summary>
public sealed class AuditTrail(JiraExportDbContext db, TenantContext tenant, IDataProtectionProvider dataProtection, TimeProvider timeProvider)
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

    private async Task AppendAsync(Guid tenantId, AuditRecord record, CancellationToken cancellationToken)
    {
        var head = await db.Database.SqlQuery<ChainHead>($"""
            SELECT head_sequence AS "Sequence", head_hash AS "Hash", head_key AS "KeyProtected"
            FROM audit_chain_head({tenantId}, {AuditChain.NewKey(dataProtection, tenantId)})
            """).SingleAsync(cancellationToken);
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
        entry.Hash = AuditChain.ComputeHash(entry, AuditChain.ReadKey(dataProtection, tenantId, head.KeyProtected));
        await db.Database.ExecuteSqlAsync($"""
            SELECT append_audit_entry({tenantId}, {entry.Sequence}, {entry.OccurredAt}, {entry.ActorKind}, {entry.ActorId}, {entry.Action},
                {entry.Method}, {entry.Target}, {entry.Status}, {entry.IpAddress}, {entry.PreviousHash}, {entry.Hash})
            """, cancellationToken);
    }

    /// <summary>At most <paramref name="length"/> UTF-16 units, never cutting a character in two.</summary>
    private static string Truncate(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        var end = length;
        if (char.IsHighSurrogate(value[end - 1]))
        {
            end--;
        }

        return value[..end];
    }

    private sealed record ChainHead(long Sequence, byte[] Hash, string KeyProtected);
}
