using System.Text.Json;
using System.Text.Json.Serialization;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>The token endpoint speaks snake_case (<c>access_token</c>, <c>error_description</c>) and leaves absent fields out.</summary>
internal static class OAuthJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>{"error":"invalid_grant","error_description":"…"}</c> with the status Atlassian uses for it.</summary>
    public static IResult Error(int statusCode, string error, string description) =>
        Results.Json(new OAuthError(error, description), Options, statusCode: statusCode);
}

internal sealed record OAuthError(string Error, string ErrorDescription);

/// <summary>The token answer; <see cref="RefreshToken"/> only when the grant has <c>offline_access</c>.</summary>
internal sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Scope, string? RefreshToken);
