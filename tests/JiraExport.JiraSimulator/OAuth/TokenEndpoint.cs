using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>
/// <c>POST /oauth/token</c> (auth.atlassian.com): <c>authorization_code</c> and <c>refresh_token</c> grants. Statuses follow
/// Atlassian: a bad code or refresh token is 403 <c>invalid_grant</c> (API-NOTES §3); bad client credentials are 401
/// <c>access_denied</c>; a malformed request is 400.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> ExchangeAsync(
        HttpRequest request, OAuthStore store, IOptionsMonitor<JiraSimulatorOptions> options, CancellationToken cancellationToken)
    {
        // Tokens must not sit in caches (RFC 6749 §5.1); errors too, so a retried request is really retried.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.Pragma = "no-cache";

        var parameters = await TokenRequest.ReadAsync(request, cancellationToken);
        if (parameters is null)
        {
            return OAuthJson.Error(StatusCodes.Status400BadRequest, "invalid_request",
                "The body must be a JSON object (or a form) of token request parameters.");
        }

        var client = OAuthClientOptions.Find(options.CurrentValue.OAuthClients, parameters.ClientId);
        if (client is null || !string.Equals(client.ClientSecret, parameters.ClientSecret, StringComparison.Ordinal))
        {
            return OAuthJson.Error(StatusCodes.Status401Unauthorized, "access_denied", "Unauthorized");
        }

        var result = parameters.GrantType switch
        {
            "authorization_code" when !string.IsNullOrEmpty(parameters.Code) =>
                store.RedeemCode(client.ClientId, parameters.Code, parameters.RedirectUri),
            "refresh_token" when !string.IsNullOrEmpty(parameters.RefreshToken) =>
                store.Refresh(client.ClientId, parameters.RefreshToken),
            "authorization_code" => Missing("code"),
            "refresh_token" => Missing("refresh_token"),
            null or "" => Missing("grant_type"),
            _ => new TokenGrantResult(null, "unsupported_grant_type", $"Unsupported grant type: {parameters.GrantType}"),
        };

        if (result.Tokens is not { } tokens)
        {
            var status = result.Error == "invalid_grant" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            return OAuthJson.Error(status, result.Error, result.Description);
        }

        return Results.Json(
            new TokenResponse(tokens.AccessToken, "Bearer", tokens.ExpiresIn, tokens.Scope, tokens.RefreshToken), OAuthJson.Options);
    }

    private static TokenGrantResult Missing(string parameter) => new(null, "invalid_request", $"Missing required parameter: {parameter}");
}
