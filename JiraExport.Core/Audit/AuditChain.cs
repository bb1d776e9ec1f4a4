using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Audit;

/// <summary>What a walk of a tenant's audit chain found: intact up to its head, or where it breaks and why.</summary>
public sealed record AuditVerification(bool Verified, long Entries, long HeadSequence, string HeadHash, long? BrokenAtSequence, string? Problem);

/// <summary>
/// The hash chain of a tenant's audit trail. Each entry's hash is an HMAC-SHA-256, with the tenant's chain key, of the
/// hash before it and every field of its own (length-prefixed, so no two entries encode alike); the chain head records
/// the last sequence and hash. A changed field, a deleted entry (a gap, or a head past the last one), or an entry made by
/// someone without the key (the key is encrypted by Data Protection, whose key ring the database alone cannot open)
/// breaks the walk. Someone holding both the database and the key ring could forge a consistent chain: a head hash kept
/// elsewhere (an anchor, checked by <see cref="VerifyAsync"/>) shows that too.
/// </summary>
public static class AuditChain
{
    public static ReadOnlySpan<byte> Genesis => new byte[32];

    public static byte[] ComputeHash(AuditEntry entry, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hash.AppendData(entry.PreviousHash);
        Append(hash, entry.TenantId.ToString("N"));
        Append(hash, entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, entry.OccurredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, entry.ActorKind);
        Append(hash, entry.ActorId.ToString("N"));
        Append(hash, entry.Action);
        Append(hash, entry.Method);
        Append(hash, entry.Target);
        Append(hash, entry.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, entry.IpAddress);
        return hash.GetHashAndReset();
    }

    /// <summary>The tenant's chain key from its protected form (only this tenant's form decrypts here).</summary>
    public static byte[] ReadKey(IDataProtectionProvider dataProtection, Guid tenantId, string keyProtected)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        return Convert.FromBase64String(dataProtection.CreateProtector(TenantSecretPurposes.AuditChainKey).UnprotectFor(tenantId, keyProtected));
    }

    /// <summary>A new chain key, protected for the tenant: what a tenant's first entry starts its chain with.</summary>
    public static string NewKey(IDataProtectionProvider dataProtection, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        return dataProtection.CreateProtector(TenantSecretPurposes.AuditChainKey)
            .ProtectFor(tenantId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    /// <summary>
    /// Walks the tenant's chain (the tenant of <paramref name="db"/>'s context) from its first entry, streaming. With an
    /// anchor (a sequence and the hash it had when someone noted it), the entry at that sequence must still have it.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(
        JiraExportDbContext db, IDataProtectionProvider dataProtection, (long Sequence, byte[] Hash)? anchor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var headSequence = head?.Sequence ?? 0;
        var headHash = Convert.ToHexStringLower(head?.Hash ?? Genesis.ToArray());
        AuditVerification Broken(long sequence, string problem) => new(false, sequence - 1, headSequence, headHash, sequence, problem);

        byte[]? key = null;
        if (head is not null)
        {
            try
            {
                key = ReadKey(dataProtection, head.TenantId, head.KeyProtected);
            }
            catch (CryptographicException)
            {
                return Broken(1, "The chain's key cannot be read for this tenant: it was replaced.");
            }
        }

        var expected = 1L;
        var previous = Genesis.ToArray();
        await foreach (var entry in db.AuditLog.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expected)
            {
                return Broken(expected, $"Entry {expected} is missing: the entry after {expected - 1} is {entry.Sequence}.");
            }

            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return Broken(expected, $"Entry {expected} does not follow entry {expected - 1}: it names another previous hash.");
            }

            if (key is null || !CryptographicOperations.FixedTimeEquals(ComputeHash(entry, key), entry.Hash))
            {
                return Broken(expected, $"Entry {expected} was changed after it was written, or not written by JiraExport: its hash does not match its fields.");
            }

            if (anchor is { } noted && noted.Sequence == expected && !noted.Hash.AsSpan().SequenceEqual(entry.Hash))
            {
                return Broken(expected, $"Entry {expected} no longer has the anchor's hash: the chain up to it was rewritten.");
            }

            previous = entry.Hash;
            expected++;
        }

        var entries = expected - 1;
        if (headSequence != entries || !previous.AsSpan().SequenceEqual(head?.Hash ?? Genesis))
        {
            return Broken(entries + 1, $"The chain ends at entry {entries}, but entries up to {headSequence} were written: the last were deleted.");
        }

        if (anchor is { } beyond && beyond.Sequence > entries)
        {
            return Broken(entries + 1, $"The anchor names entry {beyond.Sequence}, but the chain ends at entry {entries}.");
        }

        return new AuditVerification(true, entries, headSequence, headHash, null, null);
    }

    /// <summary>Length-prefixed UTF-8; null is length -1, so it never encodes like an empty value.</summary>
    private static void Append(IncrementalHash hash, string? value)
    {
        var bytes = value is null ? [] : Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value is null ? -1 : bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
