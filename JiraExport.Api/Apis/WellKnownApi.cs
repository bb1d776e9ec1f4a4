using System.Text.Json.Nodes;
using JiraExport.Api.Identity;
using JiraExport.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Apis;

/// <summary>The public keys of access tokens, and the metadata that points verifiers (Realtime) at them.</summary>
public static class WellKnownApi
{
    public static IEndpointRouteBuilder MapWellKnownEndpoints(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup(".well-known").WithTags("Auth").AllowAnonymous();
        wellKnown.MapGet("/jwks.json", GetJwks).WithName("Jwks").WithSummary("Public keys that verify access tokens (RFC 7517)");
        wellKnown.MapGet("/openid-configuration", GetMetadata).WithName("IssuerMetadata").WithSummary("Issuer metadata with the JWKS address");
        return app;
    }

    public static async Task<IResult> GetJwks(SigningKeyRing keyRing, HttpContext http, CancellationToken cancellationToken)
    {
        var keys = new JsonArray();
        foreach (var key in await keyRing.GetPublishedKeysAsync(cancellationToken))
        {
            keys.Add(new JsonObject
            {
                ["kty"] = key.Kty,
                ["crv"] = key.Crv,
                ["x"] = key.X,
                ["y"] = key.Y,
                ["kid"] = key.Kid,
                ["use"] = key.Use,
                ["alg"] = key.Alg,
            });
        }

        // Short enough that a key published ahead of its use reaches every cache in time.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new JsonObject { ["keys"] = keys }, contentType: "application/jwk-set+json");
    }

    public static Ok<IssuerMetadata> GetMetadata(HttpRequest request, IOptions<AuthOptions> options) =>
        TypedResults.Ok(new IssuerMetadata(
            options.Value.Issuer,
            $"{request.Scheme}://{request.Host}{request.PathBase}/.well-known/jwks.json",
            [AuthOptions.Algorithm]));

    public sealed record IssuerMetadata(
        [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
        [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
        [property: System.Text.Json.Serialization.JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> Algorithms);
}
