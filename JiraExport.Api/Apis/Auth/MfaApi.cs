using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// TOTP as the second factor (RFC 6238 through Identity's authenticator provider, which accepts neighbouring time
/// steps for clock drift), with single-use recovery codes of which only SHA-256 hashes are stored.
/// </summary>
public static class MfaApi
{
    private const int RecoveryCodeCount = 10;
    private const string Issuer = "JiraExport";

    /// <summary>The structural rules of <see cref="MfaVerifyRequest"/>.</summary>
    internal static Dictionary<string, string[]> Validate(MfaVerifyRequest request) =>
        string.IsNullOrEmpty(request.MfaToken) || string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 64
            ? new() { ["code"] = ["The mfaToken from sign-in and a code from the authenticator app (or a recovery code) are required."] }
            : [];

    public static async Task<Results<Ok<TokenPairResponse>, ValidationProblem, ProblemHttpResult>> Verify(
        MfaVerifyRequest request,
        HttpContext http,
        UserManager<User> users,
        MfaChallenges challenges,
        TokenService tokens,
        SecurityEventLog securityEvents,
        JiraExportDbContext db,
        CancellationToken cancellationToken)
    {
        if (await challenges.ReadAsync(request.MfaToken!) is not { } challenge
            || await users.FindByIdAsync(challenge.UserId.ToString()) is not { TwoFactorEnabled: true } user)
        {
            return AuthApi.Unauthorized(
                "The MFA token is not valid any more: it works once, for five minutes and three codes. Sign in again.");
        }

        var tenantId = challenge.TenantId;
        if (!await challenges.TryTakeAttemptAsync(challenge))
        {
            return AuthApi.Unauthorized(
                "The MFA token is not valid any more: it works once, for five minutes and three codes. Sign in again.");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return AuthApi.LockedOut(user, http);
        }

        var code = request.Code!.Replace(" ", "", StringComparison.Ordinal).Trim();
        var viaRecoveryCode = false;
        var valid = await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code);
        if (!valid && code.Contains('-', StringComparison.Ordinal))
        {
            valid = viaRecoveryCode = (await users.RedeemTwoFactorRecoveryCodeAsync(user, HashRecoveryCode(code))).Succeeded;
        }

        var membership = (await AuthApi.FindMembershipsAsync(db, user.Id, cancellationToken)).FirstOrDefault(m => m.TenantId == tenantId);
        if (!valid || membership is null)
        {
            // Wrong codes count towards the lockout like wrong passwords: six digits must not be guessable.
            await users.AccessFailedAsync(user);
            await securityEvents.RecordInTenantsAsync([tenantId], SecurityEventTypes.MfaFailed, http, user.Id, "wrong code", cancellationToken);
            return await users.IsLockedOutAsync(user) ? AuthApi.LockedOut(user, http) : AuthApi.Unauthorized("The code is wrong or too old.");
        }

        if (!await challenges.CloseAsync(challenge))
        {
            return AuthApi.Unauthorized("This MFA token was just used by another request; sign in again.");
        }

        await users.ResetAccessFailedCountAsync(user);
        var (pair, refused) = await tokens.SignInAsync(user.Id, tenantId, membership.TenantRole, http,
            viaRecoveryCode ? "password + recovery code" : "password + authenticator code", cancellationToken);
        if (pair is null)
        {
            return refused!;
        }

        if (viaRecoveryCode)
        {
            securityEvents.Add(SecurityEventTypes.RecoveryCodeUsed, http, user.Id,
                detail: $"{await users.CountRecoveryCodesAsync(user)} recovery codes left");
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(pair);
    }

    public static async Task<Results<Ok<MfaSetupResponse>, ProblemHttpResult>> Setup(ClaimsPrincipal caller, UserManager<User> users)
    {
        var user = await users.FindByIdAsync(caller.GetUserId().ToString()!);
        if (user is null || user.TwoFactorEnabled)
        {
            return TypedResults.Problem(title: "MFA already on",
                detail: "Turn MFA off first (POST /api/v1/auth/mfa/disable with a current code) to set up a new authenticator.",
                statusCode: StatusCodes.Status409Conflict);
        }

        await users.ResetAuthenticatorKeyAsync(user);
        var secret = (await users.GetAuthenticatorKeyAsync(user))!;
        var label = Uri.EscapeDataString($"{Issuer}:{user.Email ?? user.ContactEmail}");
        return TypedResults.Ok(new MfaSetupResponse(
            secret, $"otpauth://totp/{label}?secret={secret}&issuer={Issuer}&algorithm=SHA1&digits=6&period=30"));
    }

    public static async Task<Results<Ok<MfaEnabledResponse>, ValidationProblem, ProblemHttpResult>> Enable(
        MfaCodeRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        UserManager<User> users,
        IUserStore<User> store,
        SecurityEventLog securityEvents,
        JiraExportDbContext db,
        CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(caller.GetUserId().ToString()!);
        if (user is null || await users.GetAuthenticatorKeyAsync(user) is null)
        {
            return TypedResults.Problem(title: "No authenticator set up", detail: "Call POST /api/v1/auth/mfa/setup first.",
                statusCode: StatusCodes.Status409Conflict);
        }

        // A session alone does not change the second factor: whoever holds a stolen token must not lock the owner out
        // with an authenticator of its own. Accounts without a password (single sign-on only) prove themselves there.
        // Password and code are checked together with one answer, and a locked account is refused before either, so
        // this route cannot be used to guess the password.
        var hasPassword = await users.HasPasswordAsync(user);
        if (hasPassword && await users.IsLockedOutAsync(user))
        {
            return TypedResults.Problem(title: "Account temporarily locked",
                detail: "Too many wrong passwords: try again later.", statusCode: StatusCodes.Status429TooManyRequests);
        }

        var passwordRight = !hasPassword
            || (request.Password is { Length: > 0 and <= 1024 } && await users.CheckPasswordAsync(user, request.Password));
        var codeRight = !string.IsNullOrWhiteSpace(request.Code)
            && await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, request.Code.Trim());
        if (!passwordRight || !codeRight)
        {
            if (hasPassword && !passwordRight && !string.IsNullOrEmpty(request.Password))
            {
                await users.AccessFailedAsync(user);
            }

            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = ["The current password and a code from the authenticator are needed, and one of them is wrong; check the device's clock."],
            });
        }

        // Identity would keep recovery codes in plain text; it is handed their hashes instead and asked to redeem hashes.
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        await ((IUserTwoFactorRecoveryCodeStore<User>)store).ReplaceCodesAsync(user, codes.Select(HashRecoveryCode), cancellationToken);
        await users.SetTwoFactorEnabledAsync(user, true);
        securityEvents.Add(SecurityEventTypes.MfaEnabled, http, user.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new MfaEnabledResponse(codes));
    }

    public static async Task<Results<NoContent, ValidationProblem>> Disable(
        MfaCodeRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        UserManager<User> users,
        SecurityEventLog securityEvents,
        JiraExportDbContext db,
        CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(caller.GetUserId().ToString()!);
        if (user is null || !user.TwoFactorEnabled || string.IsNullOrWhiteSpace(request.Code)
            || !await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, request.Code.Trim()))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = ["MFA is off, or the code does not match the authenticator."],
            });
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        securityEvents.Add(SecurityEventTypes.MfaDisabled, http, user.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static string NewRecoveryCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 5) + "-" + RandomNumberGenerator.GetString(alphabet, 5);
    }

    private static string HashRecoveryCode(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToLowerInvariant())));
}
