using System.Text.Encodings.Web;
using JiraExport.Core.Mail;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Identity;

/// <summary>Where a mailed link points: the tenant's app, which passes the token to the Api. Without it mails show the token and the call.</summary>
public sealed class AccountMailOptions
{
    public const string SectionName = "Accounts";

    /// <summary>The app's address, e.g. <c>https://app.example.com</c>; links go to <c>/accept-invitation#token=…</c> and <c>/verify-email#…</c> there.</summary>
    public Uri? AppBaseUrl { get; set; }
}

/// <summary>The mails about accounts, plain and HTML. Everything a tenant or person chose (names) is encoded for HTML.</summary>
public sealed class AccountMails(IOptions<AccountMailOptions> options)
{
    public OutgoingMail Invitation(string to, string tenantName, string role, string token, DateTimeOffset expiresAt)
    {
        var link = Link("accept-invitation", $"token={Uri.EscapeDataString(token)}");
        var subject = $"You are invited to {tenantName} on JiraExport";
        var text = $"""
            You are invited to join {tenantName} on JiraExport as {role}.

            {(link is null ? "" : $"Accept the invitation: {link}\n\n")}Or accept it through the API: POST /api/v1/auth/accept-invitation with
              {"{"}"token": "{token}", "password": "<a password of at least 12 characters, if you have no account yet>"{"}"}

            The invitation works once and expires at {expiresAt:u}. If you did not expect it, ignore this mail.
            """;
        return new OutgoingMail(to, subject, text, Html(subject, $"""
            <p>You are invited to join <strong>{Encode(tenantName)}</strong> on JiraExport as {Encode(role)}.</p>
            {(link is null ? "" : $"<p><a href=\"{Encode(link)}\">Accept the invitation</a></p>")}
            <p>Or accept it through the API: <code>POST /api/v1/auth/accept-invitation</code> with the token <code>{Encode(token)}</code>.</p>
            <p>The invitation works once and expires at {expiresAt:u}. If you did not expect it, ignore this mail.</p>
            """));
    }

    public OutgoingMail EmailVerification(string to, string token)
    {
        var link = Link("verify-email", $"email={Uri.EscapeDataString(to)}&token={Uri.EscapeDataString(token)}");
        const string Subject = "Confirm your email for JiraExport";
        var text = $"""
            Confirm that this is your email address to finish signing up for JiraExport.

            {(link is null ? "" : $"Confirm: {link}\n\n")}Or through the API: POST /api/v1/auth/verify-email with
              {"{"}"email": "{to}", "token": "{token}", "password": "<the password you signed up with>"{"}"}

            The token expires in a day. If you did not sign up, ignore this mail: without it the account cannot be used.
            """;
        return new OutgoingMail(to, Subject, text, Html(Subject, $"""
            <p>Confirm that this is your email address to finish signing up for JiraExport.</p>
            {(link is null ? "" : $"<p><a href=\"{Encode(link)}\">Confirm your email</a></p>")}
            <p>Or through the API: <code>POST /api/v1/auth/verify-email</code> with your email, your password and the token <code>{Encode(token)}</code>.</p>
            <p>The token expires in a day. If you did not sign up, ignore this mail: without it the account cannot be used.</p>
            """));
    }

    /// <summary>
    /// The token goes in the fragment: a browser never sends it to a server, so it stays out of access logs, proxies
    /// and Referer headers; the app reads it from <c>location.hash</c>.
    /// </summary>
    private string? Link(string path, string fragment) =>
        options.Value.AppBaseUrl is { } app ? $"{new Uri(app, path)}#{fragment}" : null;

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static string Html(string title, string body) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head>" +
        $"<body style=\"font-family: sans-serif; line-height: 1.5\">{body}</body></html>";
}
