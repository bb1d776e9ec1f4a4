using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace JiraExport.Api.Idempotency;

/// <summary>The kept answer of a create request: what a retry with the same key and body gets back.</summary>
internal sealed record KeptAnswer(int StatusCode, string? Location, string Json);

/// <summary>What claiming a key found.</summary>
internal abstract record KeyClaim
{
    /// <summary>The key is this request's: run it.</summary>
    public sealed record Claimed : KeyClaim;

    /// <summary>The same request ran before: answer as it did.</summary>
    public sealed record Replay(KeptAnswer Answer) : KeyClaim;

    /// <summary>The same key is still running.</summary>
    public sealed record Running : KeyClaim;

    /// <summary>The key was used with another request.</summary>
    public sealed record OtherRequest : KeyClaim;
}

/// <summary>
/// The <c>idempotent_requests</c> rows. A tenant request claims its key in its own transaction (behind a savepoint), so
/// the claim, the resource and the kept answer commit together or not at all, on the request's one connection; a retry
/// meanwhile finds the key's row locked and is told the first still runs. A request without a transaction of its own
/// (the admin creating a tenant) claims in one of the store's, committed at once; such a claim whose request died
/// without an answer is taken over after <see cref="ClaimLease"/>.
/// </summary>
internal sealed class IdempotentRequestStore(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider timeProvider)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);
    private const string Savepoint = "idempotency_claim";

    // Answers hold secrets (a created API key), fingerprints digests of bodies that hold some (a Jira password): both
    // are protected for the tenant, so a dump of the table reveals neither, nor lets a guess be checked offline.
    private readonly IDataProtector _answers = dataProtection.CreateProtector(TenantSecretPurposes.IdempotentResponses);
    private readonly IDataProtector _fingerprints = dataProtection.CreateProtector(TenantSecretPurposes.IdempotentResponses, "fingerprint");

    public async Task<KeyClaim> ClaimAsync(JiraExportDbContext requestDb, Guid tenantId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        if (RequestTransaction(requestDb, tenantId) is not { } transaction)
        {
            return await InOwnTransactionAsync(tenantId, cancellationToken, db => ClaimInAsync(db, tenantId, key, fingerprint, ClaimLease, cancellationToken));
        }

        await transaction.CreateSavepointAsync(Savepoint, cancellationToken);
        try
        {
            // A claim not yet committed holds the key's row: waiting for it would hold this request as long; a moment is enough.
            await requestDb.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '250ms'", cancellationToken);
            var claim = await ClaimInAsync(requestDb, tenantId, key, fingerprint, lease: null, cancellationToken);
            await requestDb.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = DEFAULT", cancellationToken);
            await transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
            return claim;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await transaction.RollbackToSavepointAsync(Savepoint, cancellationToken);
            return new KeyClaim.Running();
        }
    }

    /// <summary>Keeps the answer: in the request's transaction, or in one of the store's that a hung-up client cannot cancel.</summary>
    public Task KeepAsync(JiraExportDbContext requestDb, Guid tenantId, string key, KeptAnswer answer, CancellationToken cancellationToken)
    {
        var protectedAnswer = _answers.ProtectFor(tenantId, answer.Json);
        Task<int> Keep(JiraExportDbContext db, CancellationToken token) => db.IdempotentRequests.Where(r => r.Key == key).ExecuteUpdateAsync(row => row
            .SetProperty(r => r.StatusCode, answer.StatusCode)
            .SetProperty(r => r.Location, answer.Location)
            .SetProperty(r => r.ProtectedResponse, protectedAnswer), token);

        return RequestTransaction(requestDb, tenantId) is not null
            ? Keep(requestDb, cancellationToken)
            : InOwnTransactionAsync(tenantId, CancellationToken.None, db => Keep(db, CancellationToken.None));
    }

    /// <summary>
    /// Frees the key of a request that created nothing (refused, or failed), so it can be sent again, corrected. After an
    /// exception a claim in the request's transaction goes with its rollback; only a claim of the store's own is deleted.
    /// </summary>
    public Task ReleaseAsync(JiraExportDbContext requestDb, Guid tenantId, string key, bool afterException)
    {
        // Not the request's token: a client that hung up must not leave its key claimed.
        Task<int> Release(JiraExportDbContext db) =>
            db.IdempotentRequests.Where(r => r.Key == key && r.StatusCode == null).ExecuteDeleteAsync(CancellationToken.None);

        return RequestTransaction(requestDb, tenantId) is null ? InOwnTransactionAsync(tenantId, CancellationToken.None, Release)
            : afterException ? Task.CompletedTask
            : Release(requestDb);
    }

    private async Task<KeyClaim> ClaimInAsync(
        JiraExportDbContext db, Guid tenantId, string key, string fingerprint, TimeSpan? lease, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var abandonedBefore = lease is { } l ? now - l : DateTimeOffset.MinValue;
        // Inserts the claim, or takes over an expired key (or an abandoned claim); a live row is left as it is. Other
        // expired keys are the Worker's to delete (ExportRetentionService), not every create's.
        var claimed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotent_requests AS r (tenant_id, key, fingerprint, created_at, expires_at)
            VALUES ({tenantId}, {key}, {_fingerprints.ProtectFor(tenantId, fingerprint)}, {now}, {now + KeptFor})
            ON CONFLICT (tenant_id, key) DO UPDATE
                SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, expires_at = excluded.expires_at,
                    status_code = NULL, location = NULL, protected_response = NULL
                WHERE r.expires_at < {now} OR (r.status_code IS NULL AND r.created_at < {abandonedBefore})
            """, cancellationToken);
        if (claimed == 1)
        {
            return new KeyClaim.Claimed();
        }

        // Gone since the insert looked: its request was refused and freed it; the caller may simply send again.
        if (await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key, cancellationToken) is not { } existing)
        {
            return new KeyClaim.Running();
        }

        return _fingerprints.UnprotectFor(tenantId, existing.Fingerprint) != fingerprint ? new KeyClaim.OtherRequest()
            : existing.StatusCode is not { } status ? new KeyClaim.Running()
            : new KeyClaim.Replay(new KeptAnswer(status, existing.Location, _answers.UnprotectFor(tenantId, existing.ProtectedResponse!)));
    }

    private static IDbContextTransaction? RequestTransaction(JiraExportDbContext requestDb, Guid tenantId) =>
        requestDb.TenantId == tenantId ? requestDb.Database.CurrentTransaction : null;

    private async Task<T> InOwnTransactionAsync<T>(Guid tenantId, CancellationToken cancellationToken, Func<JiraExportDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work(db);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
