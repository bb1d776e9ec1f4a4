using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>A site the grant reaches (Atlassian's accessible resources).</summary>
public sealed record JiraAccessibleResource(string Id, string Url, string Name, IReadOnlyList<string>? Scopes);

/// <summary>Atlassian's authorization server: code exchange, refresh (rotating), and the sites a token reaches.</summary>
public sealed class JiraOAuthClient(HttpClient http, IOptions<JiraOAuthOptions> options, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri AuthorizeUri(string state)
    {
        var o = options.Value;
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["audience"] = "api.atlassian.com",
            ["client_id"] = o.ClientId!,
            ["scope"] = o.Scopes,
            ["redirect_uri"] = o.RedirectUri!,
            ["state"] = state,
            ["response_type"] = "code",
            ["prompt"] = "consent",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return new Uri($"{o.AuthorizeUrl}?{query}");
    }

    public Task<TokenGrant> ExchangeCodeAsync(string code, CancellationToken cancellationToken) =>
        TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = options.Value.RedirectUri!,
        }, cancellationToken);

    /// <summary>A new access token and a new refresh token; the refresh token given is dead afterwards.</summary>
    public Task<TokenGrant> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    public async Task<IReadOnlyList<JiraAccessibleResource>> GetAccessibleResourcesAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, options.Value.ResourcesUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await SendAsync(request, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<JiraAccessibleResource>>(Json, cancellationToken) ?? [];
    }

    private async Task<TokenGrant> TokenAsync(Dictionary<string, string> grant, CancellationToken cancellationToken)
    {
        grant["client_id"] = options.Value.ClientId!;
        grant["client_secret"] = options.Value.ClientSecret!;
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.TokenUrl) { Content = JsonContent.Create(grant, options: Json) };
        using var response = await SendAsync(request, cancellationToken);
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(Json, cancellationToken)
                    ?? throw new JiraException(JiraFailureKind.Protocol, "Atlassian's token endpoint answered with an empty body.");
        if (string.IsNullOrEmpty(token.RefreshToken))
        {
            throw new JiraException(JiraFailureKind.Protocol,
                "Atlassian granted no refresh token; the app must ask for the offline_access scope, or the connection dies within the hour.");
        }

        return new TokenGrant(token.AccessToken, timeProvider.GetUtcNow().AddSeconds(token.ExpiresIn), token.RefreshToken, token.Scope ?? string.Empty);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is JiraException refused)
        {
            throw refused;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new JiraException(JiraFailureKind.Unavailable, $"Atlassian's authorization server could not be reached: {ex.Message}", inner: ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var detail = TryReadError(body);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest => new JiraException(JiraFailureKind.Unauthorized,
                    $"Atlassian refused the authorization ({(int)response.StatusCode}{detail}); connect the Jira site again.", response.StatusCode),
                _ => new JiraException(JiraFailureKind.Unavailable,
                    $"Atlassian's authorization server failed with {(int)response.StatusCode}{detail}.", response.StatusCode),
            };
        }
    }

    private static string TryReadError(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize<ErrorResponse>(body, Json);
            return error?.Error is null ? string.Empty : $": {error.Error}{(error.ErrorDescription is null ? string.Empty : $" — {error.ErrorDescription}")}";
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    public sealed record TokenGrant(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, string Scope);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("scope")] string? Scope);

    private sealed record ErrorResponse(
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
