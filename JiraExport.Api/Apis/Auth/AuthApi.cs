using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Api.OpenApi;
using JiraExport.Api.Throttling;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Every route under <c>auth</c>: signing in (password, MFA, an SSO code), tokens and sessions, and the anonymous steps
/// of joining: confirming a new owner's email and accepting an invitation. Handlers: <c>AuthApi.Tokens</c>,
/// <see cref="MfaApi"/>, <see cref="SignupApi"/>, <see cref="InvitationsApi"/>, <see cref="SsoApi"/>.
/// </summary>
public static partial class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("auth").WithTags("Auth");

        var anonymous = api.MapGroup("").AllowAnonymous().RequireAnonymousThrottling();
        anonymous.MapPost("/token", CreateToken)
            .WithName("CreateToken")
            .WithSummary("Sign in with email and password; answers a token pair");
        anonymous.MapPost("/refresh", Refresh)
            .WithName("RefreshToken")
            .WithSummary("Exchange a refresh token for a new pair; the old one dies");
        anonymous.MapPost("/mfa", MfaApi.Verify)
            .WithName("VerifyMfa")
            .WithSummary("Second step of sign-in: the MFA token and a code give the token pair");
        anonymous.MapPost("/sso/token", SsoApi.RedeemSsoCode)
            .WithName("RedeemSsoCode")
            .WithSummary("Exchange the one-time code of an SSO sign-in for its token pair");
        anonymous.MapPost("/verify-email", SignupApi.VerifyEmail)
            .WithName("VerifyEmail")
            .WithSummary("Confirm the email of a new account with the mailed token and the account's password");
        anonymous.MapPost("/accept-invitation", InvitationsApi.AcceptInvitation)
            .WithName("AcceptInvitation")
            .WithSummary("Join a tenant with the token from an invitation mail (and a password, for a new account)");

        var session = api.MapGroup("").RequireAuthorization(AuthenticationExtensions.UserSessionPolicy).RequireTenant();
        session.MapPost("/logout", Logout)
            .WithName("Logout")
            .WithSummary("End this session");
        session.MapPost("/logout-all", LogoutEverywhere)
            .WithName("LogoutEverywhere")
            .WithSummary("End all of my sessions in this tenant");
        session.MapGet("/sessions", ListSessions)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListSessions")
            .WithSummary("My active sessions in this tenant");
        session.MapGet("/sessions", ListSessionsV2)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListSessions")
            .WithSummary("My active sessions in this tenant, newest first");
        session.MapDelete("/sessions/{id:guid}", RevokeSession)
            .WithName("RevokeSession")
            .WithSummary("End one of my sessions");
        session.MapPost("/mfa/setup", MfaApi.Setup)
            .WithName("SetUpMfa")
            .WithSummary("A new authenticator secret and its otpauth URI");
        session.MapPost("/mfa/enable", MfaApi.Enable)
            .WithName("EnableMfa")
            .WithSummary("Turn MFA on with a first code; answers the recovery codes once");
        session.MapPost("/mfa/disable", MfaApi.Disable)
            .WithName("DisableMfa")
            .WithSummary("Turn MFA off with a current code");

        return app;
    }
}
