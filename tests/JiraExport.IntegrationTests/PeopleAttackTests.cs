using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>A tenant's own admin, or another tenant, tries to take people's accounts and roles.</summary>
public sealed class PeopleAttackTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string AttackerPassword = "attacker chosen password 123";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdminCannotMakeItselfOwner()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var admin = await InviteAndAcceptAsync(owner, account, "admin");
        using var adminClient = system.CreateUserClient((await system.SignInAsync(admin, Token)).AccessToken);

        using var selfPromotion = await adminClient.PatchAsJsonAsync($"/api/v1/users/{admin.UserId}", new { role = "owner" }, Token);
        Assert.Equal(HttpStatusCode.Forbidden, selfPromotion.StatusCode);

        // The owner can: the refusal is about who asks, not about the change.
        using var byOwner = await owner.PatchAsJsonAsync($"/api/v1/users/{admin.UserId}", new { role = "owner" }, Token);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
    }

    [Fact]
    public async Task InvitingTheSamePersonManyTimesAtOnceNeverFailsTheServer()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var email = $"race-{Guid.NewGuid():N}@example.test";

        // A double-clicked button, a retrying client: the racers that lose are told so, none meets a 500.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var invited = await owner.PostAsJsonAsync("/api/v1/users", new { email, role = "viewer" }, Token);
            return invited.StatusCode;
        }));

        Assert.All(answers, status => Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"answers: {string.Join(", ", answers)}"));
        Assert.Contains(HttpStatusCode.Created, answers);
        var open = await owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/users/invitations", Token);
        Assert.Single(open.EnumerateArray(), i => i.GetProperty("email").GetString() == email);
    }

    [Fact]
    public async Task AnotherTenantsAdminCannotTakeOverAPersonInvitedElsewhere()
    {
        var victimTenant = await system.SignUpAsync(Token);
        using var victimOwner = system.CreateUserClient((await system.SignInAsync(victimTenant, Token)).AccessToken);
        var cfo = $"cfo-{Guid.NewGuid():N}@victim.example";
        using (var invited = await victimOwner.PostAsJsonAsync("/api/v1/users", new { email = cfo, role = "admin" }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        }

        // The attacker's tenant invites the same email and tries to redeem whatever its own answer holds.
        var attackerTenant = await system.SignUpAsync(Token);
        using var attacker = system.CreateUserClient((await system.SignInAsync(attackerTenant, Token)).AccessToken);
        using var hijack = await attacker.PostAsJsonAsync("/api/v1/users", new { email = cfo, role = "viewer" }, Token);
        var answer = await hijack.Content.ReadAsStringAsync(Token);
        var token = JsonDocument.Parse(answer).RootElement.TryGetProperty("invitationToken", out var t) ? t.GetString() : null;
        using (var anonymous = system.CreateApiClient())
        using (await anonymous.PostAsJsonAsync("/api/v1/auth/accept-invitation",
                   new { email = cfo, token = token ?? "jxi_guess", password = AttackerPassword }, Token))
        {
        }

        using var signIn = await system.RequestTokenAsync(cfo, AttackerPassword, Token, tenant: victimTenant.Slug);
        Assert.NotEqual(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("jxi_", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmailRegisteredBySomeoneElseDoesNotCaptureALaterInvitation()
    {
        // The attacker signs up with the victim's email first, with a password of its own choice.
        var ceo = $"ceo-{Guid.NewGuid():N}@victim.example";
        using (var admin = system.CreateApiClient())
        {
            admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
            var slug = "pre-" + Guid.NewGuid().ToString("N")[..10];
            using var preRegistered = await admin.PostAsJsonAsync("/api/v1/signup",
                new { tenantName = "Attacker", slug, email = ceo, password = AttackerPassword }, Token);
            Assert.Equal(HttpStatusCode.Created, preRegistered.StatusCode);
        }

        // The victim's tenant invites that email; the mailbox's real owner accepts with a password of their own.
        var victimTenant = await system.SignUpAsync(Token);
        using var victimOwner = system.CreateUserClient((await system.SignInAsync(victimTenant, Token)).AccessToken);
        using var accepted = await system.InviteAndAcceptAsync(victimOwner, ceo, "admin", UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        using var attackerSignIn = await system.RequestTokenAsync(ceo, AttackerPassword, Token, tenant: victimTenant.Slug);
        Assert.Equal(HttpStatusCode.Unauthorized, attackerSignIn.StatusCode);
        using var ownerSignIn = await system.RequestTokenAsync(ceo, UserAccounts.Password, Token, tenant: victimTenant.Slug);
        Assert.Equal(HttpStatusCode.OK, ownerSignIn.StatusCode);
    }

    [Fact]
    public async Task ASignupCannotSignInBeforeItsMailboxIsProven()
    {
        var email = $"unproven-{Guid.NewGuid():N}@example.com";
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using (var signup = await admin.PostAsJsonAsync("/api/v1/signup",
                   new { tenantName = "Unproven", slug = "unp-" + Guid.NewGuid().ToString("N")[..10], email, password = UserAccounts.Password }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, signup.StatusCode);
        }

        using var before = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Contains("verify-email", await before.Content.ReadAsStringAsync(Token));

        // The mailed token alone does not verify: whoever reads the mailbox must also know the account's password.
        var token = Mailbox.TokenIn(await Mailbox.WaitForMailAsync(email, Token));
        using (var withoutPassword = await admin.PostAsJsonAsync("/api/v1/auth/verify-email", new { email, token, password = AttackerPassword }, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withoutPassword.StatusCode);
        }

        await system.VerifyEmailAsync(email, UserAccounts.Password, Token);
        using var after = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ATenantsIdentityProviderCannotSignInAsAnotherTenantsPerson()
    {
        var victim = await system.SignUpAsync(Token);
        var attackerTenant = await system.SignUpAsync(Token);
        using var attackerOwner = system.CreateUserClient((await system.SignInAsync(attackerTenant, Token)).AccessToken);
        using var idp = new TestSamlIdentityProvider();
        using (var configured = await attackerOwner.PutAsJsonAsync("/api/v1/tenant/sso", new
               {
                   saml = new { idpEntityId = idp.EntityId, ssoUrl = idp.SsoUrl, signingCertificate = idp.CertificatePem },
                   provisionUsers = true,
               }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        }

        // The attacker's provider vouches for the victim's email, then the session it gets enrols an authenticator.
        var request = await system.StartSamlSignInAsync(attackerTenant.Slug, idp, Token);
        using var signedIn = await system.PostToAcsAsync(attackerTenant.Slug, idp.CreateResponse(SamlSignIns.ValidResponse(victim.Email, request)), request, Token);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var pair = (await signedIn.Content.ReadFromJsonAsync<TokenPair>(Token))!;
        using (var session = system.CreateUserClient(pair.AccessToken))
        using (var setup = await session.PostAsync("/api/v1/auth/mfa/setup", null, Token))
        {
            var secret = JsonDocument.Parse(await setup.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("secret").GetString()!;
            var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp();
            using var enabled = await session.PostAsJsonAsync("/api/v1/auth/mfa/enable", new { code }, Token);
        }

        Assert.NotEqual(victim.UserId.ToString(), new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(pair.AccessToken).Subject);
        using var victimSignIn = await system.RequestTokenAsync(victim.Email, victim.Password, Token);
        Assert.Equal(HttpStatusCode.OK, victimSignIn.StatusCode);
        Assert.DoesNotContain("mfaRequired", await victimSignIn.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task AnAdminCannotPointSingleSignOnAtAProviderOfItsOwn()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var admin = await InviteAndAcceptAsync(owner, account, "admin");
        using var adminClient = system.CreateUserClient((await system.SignInAsync(admin, Token)).AccessToken);
        using var idp = new TestSamlIdentityProvider();

        using var byAdmin = await adminClient.PutAsJsonAsync("/api/v1/tenant/sso",
            new { saml = new { idpEntityId = idp.EntityId, ssoUrl = idp.SsoUrl, signingCertificate = idp.CertificatePem } }, Token);

        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        await owner.ConfigureSamlAsync(idp, Token);
    }

    private async Task<SignedUpTenant> InviteAndAcceptAsync(HttpClient owner, SignedUpTenant tenant, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@{tenant.Slug}.example.com";
        using var accepted = await system.InviteAndAcceptAsync(owner, email, role, UserAccounts.Password, Token);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, $"Accepting answered {accepted.StatusCode}: {system.Api.RecentOutput}");
        var joined = (await accepted.Content.ReadFromJsonAsync<AcceptedInvitation>(Token))!;
        return tenant with { UserId = joined.UserId, Email = email };
    }

    private sealed record AcceptedInvitation(Guid TenantId, Guid UserId, string Email, string Role, bool AccountCreated);
}
