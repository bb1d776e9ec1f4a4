using System.Net;
using System.Net.Http.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>A tenant's own admin, or another tenant, tries to take people's accounts and roles.</summary>
public sealed class PeopleAttackTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
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

    private async Task<SignedUpTenant> InviteAndAcceptAsync(HttpClient owner, SignedUpTenant tenant, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@{tenant.Slug}.example.com";
        using var invited = await owner.PostAsJsonAsync("/api/v1/users", new { email, role }, Token);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var invitation = (await invited.Content.ReadFromJsonAsync<Invitation>(Token))!;
        using var anonymous = system.CreateApiClient();
        using var accepted = await anonymous.PostAsJsonAsync("/api/v1/auth/accept-invitation",
            new { email, token = invitation.InvitationToken, password = UserAccounts.Password }, Token);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        return tenant with { UserId = invitation.Member.UserId, Email = email };
    }

    private sealed record MemberView(Guid UserId, string Role);

    private sealed record Invitation(MemberView Member, string? InvitationToken);
}
