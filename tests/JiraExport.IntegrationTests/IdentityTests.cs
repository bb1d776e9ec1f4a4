using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Users, sessions and access tokens through the real Api and Realtime, including the attacks on them.</summary>
public sealed class IdentityTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignupIsClosedWithoutTheAdminKey()
    {
        using var client = system.CreateApiClient();
        using var response = await client.PostAsJsonAsync("/api/v1/signup",
            new { tenantName = "Nope", slug = "nope-" + Guid.NewGuid().ToString("N")[..8], email = "a@b.example", password = UserAccounts.Password }, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ASignedInOwnerUsesTheEarlierEndpointsWithAnEs256AccessToken()
    {
        var account = await system.SignUpAsync(Token);
        var pair = await system.SignInAsync(account, Token);

        Assert.Equal(900, pair.ExpiresIn);
        var jwt = new JsonWebToken(pair.AccessToken);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(account.TenantId.ToString(), jwt.GetClaim("tenant_id").Value);
        Assert.Contains("exports:write", jwt.GetClaim("scope").Value.Split(' '));

        using var anonymous = system.CreateApiClient();
        using var jwks = JsonDocument.Parse(await anonymous.GetStringAsync("/.well-known/jwks.json", Token));
        var kids = jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(jwt.Kid, kids);
        Assert.DoesNotContain(jwks.RootElement.GetProperty("keys").EnumerateArray(), k => k.TryGetProperty("d", out _));

        using var user = system.CreateUserClient(pair.AccessToken);
        using var connection = await user.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "Simulator",
            baseUrl = system.SimulatorAddress.ToString(),
            deployment = "cloud",
            auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
        }, Token);
        Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        using var exports = await user.GetAsync("/api/v1/exports", Token);
        Assert.Equal(HttpStatusCode.OK, exports.StatusCode);
    }

    [Fact]
    public async Task ARefreshTokenWorksOnceAndItsReuseEndsTheSession()
    {
        var account = await system.SignUpAsync(Token);
        var first = await system.SignInAsync(account, Token);

        using var refreshed = await system.RefreshAsync(first.RefreshToken, Token);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = (await refreshed.Content.ReadFromJsonAsync<TokenPair>(Token))!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        using (var user = system.CreateUserClient(second.AccessToken))
        using (var ok = await user.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // The first token again, as a thief who copied it would: refused, and the whole family with it.
        using var reused = await system.RefreshAsync(first.RefreshToken, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync(Token));

        using var successor = await system.RefreshAsync(second.RefreshToken, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);
        using (var user = system.CreateUserClient(second.AccessToken))
        using (var refused = await user.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var fresh = await system.SignInAsync(account, Token);
        using var admin = system.CreateUserClient(fresh.AccessToken);
        var events = await admin.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("\"refresh_token.reused\"", events);
        Assert.Contains("\"login.succeeded\"", events);
    }

    [Fact]
    public async Task AfterLogoutTheAccessTokenIsRefusedByApiAndRealtime()
    {
        var account = await system.SignUpAsync(Token);
        var pair = await system.SignInAsync(account, Token);

        await using (var listener = await ExportEventListener.ConnectWithAccessTokenAsync(system.Realtime.BaseAddress, pair.AccessToken, Token))
        {
            await listener.Connection.InvokeAsync("SubscribeToTenant", Token);
        }

        using var user = system.CreateUserClient(pair.AccessToken);
        using var logout = await user.PostAsync("/api/v1/auth/logout", null, Token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var refused = await user.GetAsync("/api/v1/exports", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => ExportEventListener.ConnectWithAccessTokenAsync(system.Realtime.BaseAddress, pair.AccessToken, Token));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        using var refresh = await system.RefreshAsync(pair.RefreshToken, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task TokensThatDifferFromARealOneInOneRespectAreRefused()
    {
        var account = await system.SignUpAsync(Token);
        var real = new JsonWebToken((await system.SignInAsync(account, Token)).AccessToken);
        var signingKey = await system.LoadCurrentSigningKeyAsync(Token);
        var now = DateTime.UtcNow;

        string Forge(SigningCredentials credentials, string audience = "jiraexport", string issuer = "jiraexport",
            DateTime? expires = null, string type = "at+jwt") =>
            new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                IssuedAt = (expires ?? now.AddMinutes(10)).AddMinutes(-15),
                NotBefore = (expires ?? now.AddMinutes(10)).AddMinutes(-15),
                Expires = expires ?? now.AddMinutes(10),
                TokenType = type,
                SigningCredentials = credentials,
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = real.Subject,
                    ["tenant_id"] = real.GetClaim("tenant_id").Value,
                    ["sid"] = real.GetClaim("sid").Value,
                    ["scope"] = real.GetClaim("scope").Value,
                    ["jti"] = Guid.NewGuid().ToString(),
                },
            });

        // The control: forged with the real key and every field right, it passes — so each refusal below is
        // about the one thing that differs.
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(Forge(signingKey)));

        var strangerKey = new SigningCredentials(
            new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "unknown-key" }, SecurityAlgorithms.EcdsaSha256);
        var sameKidOtherKey = new SigningCredentials(
            new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = signingKey.Key.KeyId }, SecurityAlgorithms.EcdsaSha256);
        var hmacWithPublicKeyMaterial = new SigningCredentials(
            new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = signingKey.Key.KeyId }, SecurityAlgorithms.HmacSha256);

        var refused = new Dictionary<string, string>
        {
            ["expired two minutes ago (beyond the one-minute skew)"] = Forge(signingKey, expires: now.AddMinutes(-2)),
            ["wrong audience"] = Forge(signingKey, audience: "someone-else"),
            ["wrong issuer"] = Forge(signingKey, issuer: "https://evil.example"),
            ["not an access token type"] = Forge(signingKey, type: "JWT"),
            ["signed by an unknown key"] = Forge(strangerKey),
            ["signed by another key under the real kid"] = Forge(sameKidOtherKey),
            ["HS256 instead of ES256"] = Forge(hmacWithPublicKeyMaterial),
            ["alg none"] = Unsigned(real),
        };
        foreach (var (what, token) in refused)
        {
            Assert.True(await StatusWithAsync(token) == HttpStatusCode.Unauthorized, $"A token {what} was not refused.");
        }
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        var account = await system.SignUpAsync(Token);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await system.RequestTokenAsync(account.Email, "wrong password " + attempt, Token);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var fifth = await system.RequestTokenAsync(account.Email, "wrong password 5", Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.NotNull(fifth.Headers.RetryAfter);

        using var right = await system.RequestTokenAsync(account.Email, account.Password, Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("locked until", await right.Content.ReadAsStringAsync(Token));

        using var unknown = await system.RequestTokenAsync("nobody@nowhere.example", "whatever password", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task AUserSeesAndEndsOnlyTheirOwnSessions()
    {
        var account = await system.SignUpAsync(Token);
        var laptop = await system.SignInAsync(account, Token);
        var phone = await system.SignInAsync(account, Token);
        var other = await system.SignUpAsync(Token);
        var otherPair = await system.SignInAsync(other, Token);

        using var user = system.CreateUserClient(laptop.AccessToken);
        var sessions = (await user.GetFromJsonAsync<List<SessionView>>("/api/v1/auth/sessions", Token))!;
        Assert.Equal(2, sessions.Count);
        var current = Assert.Single(sessions, s => s.Current);
        Assert.Equal(new JsonWebToken(laptop.AccessToken).GetClaim("sid").Value, current.Id.ToString());

        // Another tenant's session id is unknown here, as if it did not exist.
        var otherSession = new JsonWebToken(otherPair.AccessToken).GetClaim("sid").Value;
        using var foreign = await user.DeleteAsync($"/api/v1/auth/sessions/{otherSession}", Token);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        var phoneSession = Assert.Single(sessions, s => !s.Current);
        using var revoked = await user.DeleteAsync($"/api/v1/auth/sessions/{phoneSession.Id}", Token);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var phoneRefresh = await system.RefreshAsync(phone.RefreshToken, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneRefresh.StatusCode);
        using var otherStillWorks = await system.RefreshAsync(otherPair.RefreshToken, Token);
        Assert.Equal(HttpStatusCode.OK, otherStillWorks.StatusCode);
    }

    [Fact]
    public async Task AUsersTokenSeesNothingOfAnotherTenant()
    {
        var stranger = await system.CreateTenantAsync(Token);
        var exportId = await stranger.RequestExportAsync("key = ALPHA-1", Token);
        var account = await system.SignUpAsync(Token);
        using var user = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);

        using var export = await user.GetAsync($"/api/v1/exports/{exportId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        using var connection = await user.GetAsync($"/api/v1/connections/{stranger.ConnectionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, connection.StatusCode);
        var list = await user.GetStringAsync("/api/v1/exports", Token);
        Assert.DoesNotContain(exportId.ToString(), list);
    }

    [Fact]
    public async Task AScopedApiKeyDoesWhatItsScopesAllowUntilRevokedOrExpired()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);

        using var unknownScope = await owner.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", scopes = new[] { "everything" } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknownScope.StatusCode);

        var reader = await CreateKeyAsync(owner, "dashboard reader", "exports:read");
        using (var client = system.CreateApiClient(reader.Key))
        {
            using var list = await client.GetAsync("/api/v1/exports", Token);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var write = await client.PostAsJsonAsync("/api/v1/exports",
                new { connectionId = Guid.NewGuid(), jql = "project = ALPHA", format = "pdf", template = "issue-list" }, Token);
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            using var keys = await client.GetAsync("/api/v1/api-keys", Token);
            Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
        }

        var listed = await owner.GetStringAsync("/api/v1/api-keys", Token);
        Assert.DoesNotContain(reader.Key, listed);
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == reader.ApiKey.Id);
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(["exports:read"], entry.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        using var revoke = await owner.DeleteAsync($"/api/v1/api-keys/{reader.ApiKey.Id}", Token);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using (var client = system.CreateApiClient(reader.Key))
        using (var refused = await client.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var expiring = await CreateKeyAsync(owner, "short-lived", "exports:read");
        await system.ExecuteAsOwnerAsync("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = @id",
            new Dictionary<string, object> { ["id"] = expiring.ApiKey.Id }, Token);
        using (var client = system.CreateApiClient(expiring.Key))
        using (var expired = await client.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }

        var events = await owner.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("\"api_key.created\"", events);
        Assert.Contains("\"api_key.revoked\"", events);
    }

    [Fact]
    public async Task AnInvitedViewerReadsButCannotWriteAndARoleChangeAppliesAtOnce()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var email = $"viewer@{account.Slug}.example.com";

        using (var forged = await system.CreateApiClient().PostAsJsonAsync("/api/v1/auth/accept-invitation",
                   new { token = "jxi_not-the-token", password = UserAccounts.Password }, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using var accepted = await system.InviteAndAcceptAsync(owner, email, "viewer", UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var invitation = (await accepted.Content.ReadFromJsonAsync<AcceptedInvitation>(Token))!;
        Assert.True(invitation.AccountCreated);
        var viewerAccount = account with { UserId = invitation.UserId, Email = email };
        var viewerPair = await system.SignInAsync(viewerAccount, Token);
        using (var viewer = system.CreateUserClient(viewerPair.AccessToken))
        {
            using var read = await viewer.GetAsync("/api/v1/exports", Token);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            using var write = await viewer.PostAsJsonAsync("/api/v1/exports",
                new { connectionId = Guid.NewGuid(), jql = "project = ALPHA", format = "pdf", template = "issue-list" }, Token);
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            using var invite = await viewer.PostAsJsonAsync("/api/v1/users", new { email = "x@y.example", role = "admin" }, Token);
            Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        }

        using var promoted = await owner.PatchAsJsonAsync($"/api/v1/users/{invitation.UserId}", new { role = "member" }, Token);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        using (var stale = system.CreateUserClient(viewerPair.AccessToken))
        using (var refused = await stale.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var member = system.CreateUserClient((await system.SignInAsync(viewerAccount, Token)).AccessToken))
        using (var write = await member.PostAsJsonAsync("/api/v1/exports",
                   new { connectionId = Guid.NewGuid(), jql = "project = ALPHA", format = "pdf", template = "issue-list" }, Token))
        {
            // Allowed now: what answers is the validation of the unknown connection, not the scope.
            Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
            Assert.Contains("connectionId", await write.Content.ReadAsStringAsync(Token));
        }

        using var demoteLastOwner = await owner.PatchAsJsonAsync($"/api/v1/users/{account.UserId}", new { role = "admin" }, Token);
        Assert.Equal(HttpStatusCode.Conflict, demoteLastOwner.StatusCode);

        using var removed = await owner.DeleteAsync($"/api/v1/users/{invitation.UserId}", Token);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var noTenant = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.Forbidden, noTenant.StatusCode);

        var events = await owner.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("\"user.invited\"", events);
        Assert.Contains("\"user.role_changed\"", events);
        Assert.Contains("\"user.removed\"", events);
    }

    [Fact]
    public async Task WithMfaOnSignInNeedsACodeAndARecoveryCodeWorksOnce()
    {
        var account = await system.SignUpAsync(Token);
        using var user = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);

        using var setup = await user.PostAsync("/api/v1/auth/mfa/setup", null, Token);
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var secret = (await setup.Content.ReadFromJsonAsync<MfaSetup>(Token))!;
        Assert.StartsWith("otpauth://totp/JiraExport%3A", secret.OtpauthUri);
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret.Secret));

        var wrongCode = totp.ComputeTotp() == "000000" ? "111111" : "000000";
        using (var wrongFirst = await user.PostAsJsonAsync("/api/v1/auth/mfa/enable", new { code = wrongCode, password = UserAccounts.Password }, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongFirst.StatusCode);
        }

        using var enabled = await user.PostAsJsonAsync("/api/v1/auth/mfa/enable", new { code = totp.ComputeTotp(), password = UserAccounts.Password }, Token);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var recoveryCodes = (await enabled.Content.ReadFromJsonAsync<MfaEnabled>(Token))!.RecoveryCodes;
        Assert.Equal(10, recoveryCodes.Count);

        // The password alone now gives a challenge, not tokens.
        using var challenged = await system.RequestTokenAsync(account.Email, account.Password, Token);
        Assert.Equal(HttpStatusCode.OK, challenged.StatusCode);
        var challenge = (await challenged.Content.ReadFromJsonAsync<MfaChallenge>(Token))!;
        Assert.True(challenge.MfaRequired);
        Assert.DoesNotContain("accessToken", await challenged.Content.ReadAsStringAsync(Token));

        using var anonymous = system.CreateApiClient();
        using (var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { challenge.MfaToken, code = "12345-abcde" }, Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var tampered = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken = challenge.MfaToken + "x", code = totp.ComputeTotp() }, Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        }

        using (var withCode = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { challenge.MfaToken, code = totp.ComputeTotp() }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
            Assert.NotNull((await withCode.Content.ReadFromJsonAsync<TokenPair>(Token))!.AccessToken);
        }

        // An MFA token works once: each sign-in below starts with the password again.
        using (var recovered = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken = await system.RequestMfaChallengeAsync(account, Token), code = recoveryCodes[3] }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }

        using (var reused = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken = await system.RequestMfaChallengeAsync(account, Token), code = recoveryCodes[3] }, Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        }

        var events = await user.GetStringAsync("/api/v1/security-events", Token);
        Assert.Contains("\"mfa.enabled\"", events);
        Assert.Contains("\"mfa.failed\"", events);
        Assert.Contains("\"mfa.recovery_code_used\"", events);
    }

    [Fact]
    public async Task TheSessionLimitRefusesOrEvictsAsTheTenantChose()
    {
        var account = await system.SignUpAsync(Token);
        var first = await system.SignInAsync(account, Token);
        using var owner = system.CreateUserClient(first.AccessToken);

        using (var invalid = await owner.PatchAsJsonAsync("/api/v1/tenant", new { brandColor = "red", sessionLimitAction = "panic" }, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            var problem = await invalid.Content.ReadAsStringAsync(Token);
            Assert.Contains("brandColor", problem);
            Assert.Contains("sessionLimitAction", problem);
        }

        using (var limited = await owner.PatchAsJsonAsync("/api/v1/tenant", new { maxSessionsPerUser = 2, sessionLimitAction = "refuse-new" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        }

        var second = await system.SignInAsync(account, Token);
        using (var third = await system.RequestTokenAsync(account.Email, account.Password, Token))
        {
            Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
            Assert.Contains("Session limit", await third.Content.ReadAsStringAsync(Token));
        }

        using (var evicting = await owner.PatchAsJsonAsync("/api/v1/tenant", new { sessionLimitAction = "evict-oldest" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, evicting.StatusCode);
        }

        var newest = await system.SignInAsync(account, Token);
        using (var evicted = await system.RefreshAsync(first.RefreshToken, Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, evicted.StatusCode);
        }

        foreach (var kept in new[] { second, newest })
        {
            using var refreshed = await system.RefreshAsync(kept.RefreshToken, Token);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }
    }

    [Fact]
    public async Task WhenTheTenantRequiresMfaAMemberWithoutItCanOnlyEnrol()
    {
        var account = await system.SignUpAsync(Token);
        var pair = await system.SignInAsync(account, Token);
        using (var owner = system.CreateUserClient(pair.AccessToken))
        using (var require = await owner.PatchAsJsonAsync("/api/v1/tenant", new { requireMfa = true }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, require.StatusCode);
        }

        using var signIn = await system.RequestTokenAsync(account.Email, account.Password, Token);
        var restricted = (await signIn.Content.ReadFromJsonAsync<RestrictedPair>(Token))!;
        Assert.True(restricted.MfaEnrollmentRequired);
        Assert.Equal("", new JsonWebToken(restricted.AccessToken).GetClaim("scope").Value);

        using var user = system.CreateUserClient(restricted.AccessToken);
        using (var refused = await user.GetAsync("/api/v1/exports", Token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var setup = await user.PostAsync("/api/v1/auth/mfa/setup", null, Token);
        var secret = (await setup.Content.ReadFromJsonAsync<MfaSetup>(Token))!;
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret.Secret));
        using (var enabled = await user.PostAsJsonAsync("/api/v1/auth/mfa/enable", new { code = totp.ComputeTotp(), password = UserAccounts.Password }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        }

        // With MFA on, the next pair carries the role's scopes again.
        using var refreshed = await system.RefreshAsync(restricted.RefreshToken, Token);
        var full = (await refreshed.Content.ReadFromJsonAsync<RestrictedPair>(Token))!;
        Assert.False(full.MfaEnrollmentRequired);
        using var member = system.CreateUserClient(full.AccessToken);
        using var allowed = await member.GetAsync("/api/v1/exports", Token);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private static async Task<CreatedKey> CreateKeyAsync(HttpClient owner, string name, params string[] scopes)
    {
        using var response = await owner.PostAsJsonAsync("/api/v1/api-keys", new { name, scopes }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedKey>(Token))!;
        Assert.StartsWith("jx_", created.Key);
        return created;
    }

    private async Task<HttpStatusCode> StatusWithAsync(string accessToken)
    {
        using var client = system.CreateUserClient(accessToken);
        using var response = await client.GetAsync("/api/v1/exports", Token);
        return response.StatusCode;
    }

    private static string Unsigned(JsonWebToken real)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        return Encode("""{"alg":"none","typ":"at+jwt"}""") + "." + Encode(Base64UrlEncoder.Decode(real.EncodedPayload)) + ".";
    }

    private sealed record SessionView(Guid Id, bool Current);

    private sealed record KeyView(Guid Id);

    private sealed record MfaSetup(string Secret, string OtpauthUri);

    private sealed record RestrictedPair(string AccessToken, string RefreshToken, bool MfaEnrollmentRequired);

    private sealed record MfaEnabled(List<string> RecoveryCodes);

    private sealed record MfaChallenge(bool MfaRequired, string MfaToken);

    private sealed record AcceptedInvitation(Guid UserId, string Role, bool AccountCreated);

    private sealed record CreatedKey(KeyView ApiKey, string Key);
}
