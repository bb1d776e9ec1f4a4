using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

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
/// The <c>idempotent_requests</c> rows. A key is claimed in a transaction of its own (committed at once, so a concurrent
/// retry sees it running); the answer is kept in the request's own transaction where it has one, so it commits exactly
/// when the resource does. A claim whose request died without an answer is taken over after <see cref="ClaimLease"/>.
/// </summary>
internal sealed class IdempotentRequestStore(
    IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider timeProvider)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _answers = dataProtection.CreateProtector(TenantSecretPurposes.IdempotentResponses);

    public async Task<KeyClaim> ClaimAsync(Guid tenantId, string key, byte[] fingerprint, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        return await InOwnTransactionAsync(tenantId, cancellationToken, async db =>
        {
            await db.IdempotentRequests.Where(r => r.ExpiresAt < now && r.Key != key).ExecuteDeleteAsync(cancellationToken);
            // Inserts the claim, or takes over an expired key or an abandoned claim; a live row is left as it is.
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO idempotent_requests AS r (tenant_id, key, fingerprint, created_at, expires_at)
                VALUES ({tenantId}, {key}, {fingerprint}, {now}, {now + KeptFor})
                ON CONFLICT (tenant_id, key) DO UPDATE
                    SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, expires_at = excluded.expires_at,
                        status_code = NULL, location = NULL, protected_response = NULL
                    WHERE r.expires_at < {now} OR (r.status_code IS NULL AND r.created_at < {now - ClaimLease})
                """, cancellationToken);
            if (claimed == 1)
            {
                return new KeyClaim.Claimed();
            }

            var existing = await db.IdempotentRequests.AsNoTracking().SingleAsync(r => r.Key == key, cancellationToken);
            return !existing.Fingerprint.AsSpan().SequenceEqual(fingerprint) ? new KeyClaim.OtherRequest()
                : existing.StatusCode is not { } status ? new KeyClaim.Running()
                : (KeyClaim)new KeyClaim.Replay(new KeptAnswer(status, existing.Location, _answers.UnprotectFor(tenantId, existing.ProtectedResponse!)));
        });
    }

    /// <summary>Keeps the answer in <paramref name="requestDb"/>'s open transaction, or in one of its own when it has none.</summary>
    public async Task KeepAsync(JiraExportDbContext requestDb, Guid tenantId, string key, KeptAnswer answer, CancellationToken cancellationToken)
    {
        var protectedAnswer = _answers.ProtectFor(tenantId, answer.Json);
        Task<int> Keep(JiraExportDbContext db) => db.IdempotentRequests.Where(r => r.Key == key).ExecuteUpdateAsync(row => row
            .SetProperty(r => r.StatusCode, answer.StatusCode)
            .SetProperty(r => r.Location, answer.Location)
            .SetProperty(r => r.ProtectedResponse, protectedAnswer), cancellationToken);

        if (requestDb.Database.CurrentTransaction is not null && requestDb.TenantId == tenantId)
        {
            await Keep(requestDb);
        }
        else
        {
            await InOwnTransactionAsync(tenantId, cancellationToken, Keep);
        }
    }

    /// <summary>Frees the key of a request that created nothing (refused, or failed), so it can be sent again, corrected.</summary>
    public Task ReleaseAsync(Guid tenantId, string key) =>
        // Not the request's token: a client that hung up must not leave its key claimed until the lease runs out.
        InOwnTransactionAsync(tenantId, CancellationToken.None,
            db => db.IdempotentRequests.Where(r => r.Key == key && r.StatusCode == null).ExecuteDeleteAsync(CancellationToken.None));

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
