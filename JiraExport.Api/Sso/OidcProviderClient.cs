using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.Sso;

/// <summary>
/// The relying-party side of OpenID Connect's authorization code flow with PKCE (RFC 7636), against any provider
/// that publishes discovery metadata. Discovery, key sets and ID token checks come from Microsoft.IdentityModel.
/// </summary>
public sealed class OidcProviderClient(IHttpClientFactory httpClients, IMemoryCache cache, IOptions<SsoOptions> options)
{
    public const string HttpClientName = "sso";

    private static readonly JsonWebTokenHandler IdTokenHandler = new() { MapInboundClaims = false };

    /// <summary>The provider's metadata and signing keys, cached per authority and refreshed by IdentityModel's schedule.</summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string authority, CancellationToken cancellationToken)
    {
        var manager = cache.GetOrCreate("sso:oidc:" + authority, entry =>
        {
            // Sliding, so providers no tenant uses any more leave the cache.
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                authority.TrimEnd('/') + "/.well-known/openid-configuration",
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = options.Value.RequireHttps });
        })!;

        try
        {
            return await manager.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new SsoException(
                $"The OpenID provider's discovery document at {manager.MetadataAddress} could not be read: {Innermost(ex).Message}",
                StatusCodes.Status502BadGateway);
        }
    }

    public static Uri BuildAuthorizationUrl(
        OpenIdConnectConfiguration configuration, string clientId, Uri redirectUri, string state, string nonce, string codeVerifier) =>
        new(QueryString(configuration.AuthorizationEndpoint, new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["scope"] = "openid email profile",
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(codeVerifier))),
            ["code_challenge_method"] = "S256",
        }));

    /// <summary>Redeems the code at the token endpoint and returns the ID token's claims, checked for signature, issuer, audience, lifetime and nonce.</summary>
    public async Task<ClaimsIdentity> RedeemCodeAsync(
        OpenIdConnectConfiguration configuration, string clientId, string? clientSecret, string code, Uri redirectUri, string codeVerifier, string nonce,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri.ToString(),
                ["code_verifier"] = codeVerifier,
                ["client_id"] = clientId,
            }),
        };
        if (clientSecret is not null)
        {
            // client_secret_basic, the default method of OpenID Connect Core §9: both parts form-encoded first.
            var credentials = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(clientSecret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        }

        TokenEndpointResponse? body;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            body = await response.Content.ReadFromJsonAsync<TokenEndpointResponse>(cancellationToken);
            if (!response.IsSuccessStatusCode || body?.IdToken is null)
            {
                throw new SsoException(
                    $"The OpenID provider refused the authorization code ({(int)response.StatusCode} {body?.Error}: {body?.ErrorDescription ?? "no ID token"}).");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new SsoException($"The OpenID provider's token endpoint could not be reached: {Innermost(ex).Message}", StatusCodes.Status502BadGateway);
        }

        var result = await IdTokenHandler.ValidateTokenAsync(body.IdToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = clientId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384],
            ClockSkew = Core.Identity.AuthOptions.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        if (!result.IsValid)
        {
            throw new SsoException($"The OpenID provider's ID token is not valid: {result.Exception?.Message}");
        }

        if (!string.Equals(result.ClaimsIdentity.FindFirst("nonce")?.Value, nonce, StringComparison.Ordinal))
        {
            throw new SsoException("The ID token's nonce does not match this sign-in; start again.");
        }

        return result.ClaimsIdentity;
    }

    private static string QueryString(string endpoint, Dictionary<string, string> parameters) =>
        endpoint + (endpoint.Contains('?', StringComparison.Ordinal) ? "&" : "?")
            + string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    private sealed record TokenEndpointResponse(
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
