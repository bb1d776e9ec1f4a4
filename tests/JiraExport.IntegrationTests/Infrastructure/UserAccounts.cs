using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

/// <summary>A tenant created through signup, with its owner's credentials.</summary>
public sealed record SignedUpTenant(Guid TenantId, string Slug, Guid UserId, string Email, string Password);

public static class UserAccounts
{
    public const string Password = "correct horse battery staple";

    public static async Task<SignedUpTenant> SignUpAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        using var client = system.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        var slug = "u-" + Guid.NewGuid().ToString("N")[..12];
        var email = $"owner@{slug}.example.com";
        using var response = await client.PostAsJsonAsync(
            "/api/v1/signup", new { tenantName = "Tenant " + slug, slug, email, password = Password }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<SignupResult>(cancellationToken))!;
        await system.VerifyEmailAsync(email, Password, cancellationToken);
        return new SignedUpTenant(created.TenantId, slug, created.UserId, email, Password);
    }

    /// <summary>Confirms an account's email with the token mailed to it, as its owner would.</summary>
    public static async Task VerifyEmailAsync(this JiraExportSystem system, string email, string password, CancellationToken cancellationToken)
    {
        var mail = await Mailbox.WaitForMailAsync(email, cancellationToken);
        using var client = system.CreateApiClient();
        using var verified = await client.PostAsJsonAsync("/api/v1/auth/verify-email",
            new { email, token = Mailbox.TokenIn(mail), password }, cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, verified.StatusCode);
    }

    /// <summary>
    /// Invites a person as <paramref name="owner"/> and accepts from the invitation mail, setting <paramref name="password"/>
    /// on a new account. Answers the acceptance.
    /// </summary>
    public static async Task<HttpResponseMessage> InviteAndAcceptAsync(
        this JiraExportSystem system, HttpClient owner, string email, string role, string? password, CancellationToken cancellationToken)
    {
        var before = (await Mailbox.ReadAllAsync(email, cancellationToken)).Count;
        using var invited = await owner.PostAsJsonAsync("/api/v1/users", new { email, role }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var mail = await Mailbox.WaitForMailAsync(email, cancellationToken, count: before + 1);
        using var anonymous = system.CreateApiClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/accept-invitation", new { token = Mailbox.TokenIn(mail), password }, cancellationToken);
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(
        this JiraExportSystem system, string email, string password, CancellationToken cancellationToken, string? tenant = null)
    {
        using var client = system.CreateApiClient();
        return await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password, tenant }, cancellationToken);
    }

    /// <summary>The password step of a sign-in with MFA on: answers the <c>mfaToken</c> for the second step.</summary>
    public static async Task<string> RequestMfaChallengeAsync(this JiraExportSystem system, SignedUpTenant account, CancellationToken cancellationToken)
    {
        using var response = await system.RequestTokenAsync(account.Email, account.Password, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = (await response.Content.ReadFromJsonAsync<MfaChallenge>(cancellationToken))!;
        Assert.True(challenge.MfaRequired);
        return challenge.MfaToken;
    }

    public static async Task<TokenPair> SignInAsync(this JiraExportSystem system, SignedUpTenant account, CancellationToken cancellationToken)
    {
        using var response = await system.RequestTokenAsync(account.Email, account.Password, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Sign-in answered {response.StatusCode}: {system.Api.RecentOutput}");
        return (await response.Content.ReadFromJsonAsync<TokenPair>(cancellationToken))!;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(this JiraExportSystem system, string refreshToken, CancellationToken cancellationToken)
    {
        using var client = system.CreateApiClient();
        return await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken }, cancellationToken);
    }

    public static HttpClient CreateUserClient(this JiraExportSystem system, string accessToken)
    {
        var client = system.CreateApiClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>
    /// The key the Api signs with now, read from the database and decrypted with the shared Data Protection key ring,
    /// so a test can sign tokens that differ from real ones in exactly one respect.
    /// </summary>
    public static async Task<SigningCredentials> LoadCurrentSigningKeyAsync(this JiraExportSystem system, CancellationToken cancellationToken)
    {
        await using var provider = system.OpenKeyRing(withCertificate: true);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        var key = await db.SigningKeys.Where(k => k.ActivatesAt <= DateTimeOffset.UtcNow).OrderByDescending(k => k.ActivatesAt).FirstAsync(cancellationToken);
        var protector = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(AuthOptions.SigningKeyProtectionPurpose);
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey)), out _);
        return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = key.Id }, SecurityAlgorithms.EcdsaSha256);
    }

    private sealed record SignupResult(Guid TenantId, Guid UserId);

    private sealed record MfaChallenge(bool MfaRequired, string MfaToken);
}
