using System.Text.Json;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>The parameters of <c>POST /oauth/token</c>, from a JSON body (what Atlassian documents) or a form (what RFC 6749 says).</summary>
internal sealed record TokenRequest(string? GrantType, string? ClientId, string? ClientSecret, string? Code, string? RedirectUri, string? RefreshToken)
{
    /// <summary>The request, or null when the body is neither a form nor a JSON object of strings.</summary>
    public static async Task<TokenRequest?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            string? Value(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
            return new TokenRequest(Value("grant_type"), Value("client_id"), Value("client_secret"), Value("code"),
                Value("redirect_uri"), Value("refresh_token"));
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<TokenRequest>(request.Body, OAuthJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
