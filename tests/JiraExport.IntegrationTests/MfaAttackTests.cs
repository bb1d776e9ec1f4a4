using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>An attacker who knows the password tries to guess the second factor.</summary>
public sealed class MfaAttackTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _ownerTokens = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _secrets = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARightPasswordDoesNotRefillTheCodeGuessesSoGuessingEndsInALockout()
    {
        var (account, totp) = await SignUpWithMfaAsync();
        var wrong = WrongCode(totp);
        using var anonymous = system.CreateApiClient();

        // Two wrong codes per sign-in: with the count reset by each right password this could go on for ever.
        var statuses = new List<HttpStatusCode>();
        for (var signIn = 0; signIn < 3; signIn++)
        {
            var mfaToken = await system.RequestMfaChallengeAsync(account, Token);
            for (var guess = 0; guess < 2; guess++)
            {
                using var answer = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken, code = wrong }, Token);
                statuses.Add(answer.StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[4]);
        using var afterwards = await system.RequestTokenAsync(account.Email, account.Password, Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, afterwards.StatusCode);
    }

    [Fact]
    public async Task AnMfaTokenSignsInOnlyOnce()
    {
        var (account, totp) = await SignUpWithMfaAsync();
        var mfaToken = await system.RequestMfaChallengeAsync(account, Token);
        using var anonymous = system.CreateApiClient();

        using (var first = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken, code = totp.ComputeTotp() }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replayed = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken, code = totp.ComputeTotp() }, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task AnMfaTokenAllowsThreeCodesThenTheRightOneIsRefused()
    {
        var (account, totp) = await SignUpWithMfaAsync();
        var mfaToken = await system.RequestMfaChallengeAsync(account, Token);
        using var anonymous = system.CreateApiClient();
        for (var guess = 0; guess < 3; guess++)
        {
            using var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken, code = WrongCode(totp) }, Token);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken, code = totp.ComputeTotp() }, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("works once", await right.Content.ReadAsStringAsync(Token));

        // A new sign-in still works: the account is not locked after three wrong codes.
        using var again = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken = await system.RequestMfaChallengeAsync(account, Token), code = totp.ComputeTotp() }, Token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task ParallelCodesWithOneMfaTokenAreCheckedAtMostThreeTimes()
    {
        var (account, totp) = await SignUpWithMfaAsync();
        var mfaToken = await system.RequestMfaChallengeAsync(account, Token);
        var wrong = WrongCode(totp);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var anonymous = system.CreateApiClient();
            using var answer = await anonymous.PostAsJsonAsync("/api/v1/auth/mfa", new { mfaToken, code = wrong }, Token);
            return answer.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        // The session from before MFA was turned on reads the tenant's security events.
        using var owner = system.CreateUserClient(_ownerTokens[account.Email]);
        var events = await owner.GetStringAsync("/api/v1/security-events?limit=100", Token);
        var checkedCodes = events.Split("\"mfa.failed\"").Length - 1;
        Assert.InRange(checkedCodes, 1, 3);
    }

    [Fact]
    public async Task TheAuthenticatorSecretIsStoredEncrypted()
    {
        var (account, _) = await SignUpWithMfaAsync();
        await using var connection = new Npgsql.NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new Npgsql.NpgsqlCommand("SELECT value FROM user_tokens WHERE user_id = @user AND name = 'AuthenticatorKey'", connection);
        command.Parameters.AddWithValue("user", account.UserId);
        var stored = (string)(await command.ExecuteScalarAsync(Token))!;

        Assert.DoesNotContain(_secrets[account.Email], stored, StringComparison.OrdinalIgnoreCase);
        Assert.True(stored.Length > _secrets[account.Email].Length, "The stored value is not the encrypted secret.");
    }

    [Fact]
    public async Task AStolenSessionCannotTurnMfaOnWithoutThePassword()
    {
        var account = await system.SignUpAsync(Token);
        using var stolen = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        using var setup = await stolen.PostAsync("/api/v1/auth/mfa/setup", null, Token);
        var secret = (await setup.Content.ReadFromJsonAsync<MfaSetup>(Token))!;
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret.Secret)).ComputeTotp();

        using var enabled = await stolen.PostAsJsonAsync("/api/v1/auth/mfa/enable", new { code }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, enabled.StatusCode);
        using var signIn = await system.RequestTokenAsync(account.Email, account.Password, Token);
        Assert.DoesNotContain("mfaRequired", await signIn.Content.ReadAsStringAsync(Token));
    }

    private async Task<(SignedUpTenant Account, OtpNet.Totp Totp)> SignUpWithMfaAsync()
    {
        var account = await system.SignUpAsync(Token);
        var accessToken = (await system.SignInAsync(account, Token)).AccessToken;
        using var user = system.CreateUserClient(accessToken);
        using var setup = await user.PostAsync("/api/v1/auth/mfa/setup", null, Token);
        var secret = (await setup.Content.ReadFromJsonAsync<MfaSetup>(Token))!;
        _secrets[account.Email] = secret.Secret;
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret.Secret));
        using var enabled = await user.PostAsJsonAsync("/api/v1/auth/mfa/enable", new { code = totp.ComputeTotp(), password = UserAccounts.Password }, Token);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        _ownerTokens[account.Email] = accessToken;
        return (account, totp);
    }

    /// <summary>A code that matches no time step the server accepts (it allows the neighbouring ones for drift).</summary>
    private static string WrongCode(OtpNet.Totp totp)
    {
        var now = DateTime.UtcNow;
        var accepted = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !accepted.Contains(c));
    }

    private sealed record MfaSetup(string Secret, string OtpauthUri);
}
