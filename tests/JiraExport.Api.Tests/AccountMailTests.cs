using System.Text.RegularExpressions;
using JiraExport.Api.Identity;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Tests;

/// <summary>One-time tokens in mailed links travel in the fragment, which no browser sends to a server.</summary>
public sealed partial class AccountMailTests
{
    private static readonly AccountMails Mails = new(Options.Create(new AccountMailOptions { AppBaseUrl = new Uri("https://app.example.test/") }));

    [Fact]
    public void AnInvitationLinkCarriesItsTokenInTheFragment() =>
        AssertTokenOnlyInFragment(Mails.Invitation("cfo@example.test", "Acme", "admin", "jxi_secret-token", DateTimeOffset.UnixEpoch), "jxi_secret-token");

    [Fact]
    public void AVerificationLinkCarriesItsTokenInTheFragment() =>
        AssertTokenOnlyInFragment(Mails.EmailVerification("owner@example.test", "verification-secret"), "verification-secret");

    private static void AssertTokenOnlyInFragment(Core.Mail.OutgoingMail mail, string token)
    {
        var link = new Uri(Assert.Single(Link().Matches(mail.Text)).Value);
        Assert.Equal("app.example.test", link.Host);
        Assert.Empty(link.Query);
        Assert.DoesNotContain(token, link.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(token), link.Fragment, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https://app\.example\.test/\S+")]
    private static partial Regex Link();
}
