using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.Identity;

/// <summary>
/// The ES256 keys that sign access tokens, kept in PostgreSQL with the private halves encrypted by Data Protection,
/// so every Api instance signs with the same key. A key is published from its creation, signs from its activation,
/// and is published until every token it signed has expired. The next key is created <see
/// cref="AuthOptions.SigningKeyPublishAhead"/> before it activates, so verifiers that cache the JWKS know it in time.
/// </summary>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<AuthOptions> options,
    TimeProvider timeProvider,
    ILogger<SigningKeyRing> logger)
{
    // Keys change about once a month; a minute of caching keeps the database out of every request.
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private const long CreationLockId = 7410002;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(AuthOptions.SigningKeyProtectionPurpose);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<string, SigningCredentials> _credentials = [];
    private (IReadOnlyList<SigningKey> Keys, DateTimeOffset LoadedAt)? _cache;
    // A reference, swapped whole: requests read it while another replaces it.
    private PublishedKeys? _published;

    /// <summary>The key to sign with now, created (and the next one announced) when due.</summary>
    public async Task<SigningCredentials> GetSigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var current = CurrentSigner(keys, now);
        if (current is null || NextIsDue(keys, current, now))
        {
            keys = await CreateKeysAsync(cancellationToken);
            current = CurrentSigner(keys, timeProvider.GetUtcNow()) ?? throw new InvalidOperationException("No signing key could be created.");
        }

        lock (_credentials)
        {
            if (!_credentials.TryGetValue(current.Id, out var credentials))
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(current.ProtectedPrivateKey)), out _);
                credentials = new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = current.Id }, SecurityAlgorithms.EcdsaSha256);
                _credentials[current.Id] = credentials;
            }

            return credentials;
        }
    }

    /// <summary>The public keys verifiers must know now: the JWKS.</summary>
    /// <remarks>The same list until the keys are loaded again (every minute), since every authenticated request asks.</remarks>
    public async Task<IReadOnlyList<JsonWebKey>> GetPublishedKeysAsync(CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(cancellationToken);
        if (_published is { } published && ReferenceEquals(published.Source, keys))
        {
            return published.Keys;
        }

        var now = timeProvider.GetUtcNow();
        IReadOnlyList<JsonWebKey> parsed = [.. keys.Where(k => k.RetiresAt > now).Select(k => new JsonWebKey(k.PublicJwk))];
        _published = new PublishedKeys(keys, parsed);
        return parsed;
    }

    /// <summary>
    /// Forgets the cached keys when a token names a kid not seen yet — at most every few seconds, so tokens with
    /// made-up kids cannot turn every request into a database read.
    /// </summary>
    public void Invalidate()
    {
        if (_cache is { } cache && timeProvider.GetUtcNow() - cache.LoadedAt > TimeSpan.FromSeconds(10))
        {
            _cache = null;
        }
    }

    private SigningKey? CurrentSigner(IReadOnlyList<SigningKey> keys, DateTimeOffset now)
    {
        // Never sign with a key that retires before the token it signs expires.
        var mustLastUntil = now + options.Value.AccessTokenLifetime + AuthOptions.ClockSkew;
        return keys.Where(k => k.ActivatesAt <= now && k.RetiresAt > mustLastUntil).MaxBy(k => k.ActivatesAt);
    }

    private bool NextIsDue(IReadOnlyList<SigningKey> keys, SigningKey current, DateTimeOffset now) =>
        now >= current.ActivatesAt + options.Value.SigningKeyRotation - options.Value.SigningKeyPublishAhead
        && !keys.Any(k => k.ActivatesAt > current.ActivatesAt);

    private async Task<IReadOnlyList<SigningKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } cache && timeProvider.GetUtcNow() - cache.LoadedAt < CacheFor)
        {
            return cache.Keys;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            return Remember(await LoadAsync(db, cancellationToken));
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Creates what is missing under a database lock, so two Api instances never both create a key.</summary>
    private async Task<IReadOnlyList<SigningKey>> CreateKeysAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CreationLockId})", cancellationToken);

            var keys = await LoadAsync(db, cancellationToken);
            var now = timeProvider.GetUtcNow();
            var current = CurrentSigner(keys, now);
            if (current is null)
            {
                db.SigningKeys.Add(NewKey(now, activatesAt: now));
            }
            else if (NextIsDue(keys, current, now))
            {
                db.SigningKeys.Add(NewKey(now, activatesAt: now + options.Value.SigningKeyPublishAhead));
            }

            // Retired keys verify nothing any more.
            await db.SigningKeys.Where(k => k.RetiresAt < now).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Remember(await LoadAsync(db, cancellationToken));
        }
        finally
        {
            _loading.Release();
        }
    }

    private IReadOnlyList<SigningKey> Remember(IReadOnlyList<SigningKey> keys)
    {
        _cache = (keys, timeProvider.GetUtcNow());
        return keys;
    }

    private static async Task<IReadOnlyList<SigningKey>> LoadAsync(JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.SigningKeys.AsNoTracking().OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);

    private SigningKey NewKey(DateTimeOffset now, DateTimeOffset activatesAt)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };

        // RFC 7638 thumbprint as the kid: derived from the key itself, so it can never name another key.
        var kid = Base64UrlEncoder.Encode(new JsonWebKey(JsonSerializer.Serialize(jwk)).ComputeJwkThumbprint());
        jwk["kid"] = kid;
        jwk["use"] = "sig";
        jwk["alg"] = AuthOptions.Algorithm;

        var auth = options.Value;
        LogKeyCreated(logger, kid, activatesAt);
        return new SigningKey
        {
            Id = kid,
            Algorithm = AuthOptions.Algorithm,
            PublicJwk = JsonSerializer.Serialize(jwk),
            ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(ecdsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            ActivatesAt = activatesAt,
            RetiresAt = activatesAt + auth.SigningKeyRotation + auth.SigningKeyPublishAhead + auth.AccessTokenLifetime + AuthOptions.ClockSkew,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created access-token signing key {KeyId}, signing from {ActivatesAt}")]
    private static partial void LogKeyCreated(ILogger logger, string keyId, DateTimeOffset activatesAt);

    private sealed record PublishedKeys(IReadOnlyList<SigningKey> Source, IReadOnlyList<JsonWebKey> Keys);
}
