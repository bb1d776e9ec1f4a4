using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Auth;

/// <summary>
/// Lets a request to an admin endpoint through only with the platform admin key in <c>X-Admin-Key</c>, compared in
/// constant time. Checked as middleware, before the endpoint's request is read or validated: without the key, nothing
/// about the request is answered.
/// </summary>
internal static class AdminKeys
{
    public const string HeaderName = "X-Admin-Key";

    public static IApplicationBuilder UseAdminKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var metadata = http.GetEndpoint()?.Metadata;
        var options = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
        var needsKey = metadata?.GetMetadata<AdminKeyRequirement>() is not null
            || (metadata?.GetMetadata<ClosedSignupRequirement>() is not null && !options.OpenSignup);
        if (needsKey && !PresentsAdminKey(http, options))
        {
            await AdminKeyRequired().ExecuteAsync(http);
            return;
        }

        await next(http);
    });

    public static bool PresentsAdminKey(HttpContext http, AdminOptions options)
    {
        var presented = http.Request.Headers[HeaderName].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(options.Key)));
    }

    public static ProblemHttpResult AdminKeyRequired() => TypedResults.Problem(
        title: "Admin key required",
        detail: $"Send the platform admin key in the {HeaderName} header.",
        statusCode: StatusCodes.Status401Unauthorized);
}

/// <summary>Marks an endpoint that only the platform admin key opens, so its OpenAPI operation names that scheme.</summary>
internal sealed class AdminKeyRequirement;

/// <summary>Marks signup: open to anyone when the deployment allows it (<c>Admin:OpenSignup</c>), else the admin key's.</summary>
internal sealed class ClosedSignupRequirement;

internal static class AdminKeyEndpointExtensions
{
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new AdminKeyRequirement());

    public static TBuilder RequireAdminKeyUnlessSignupIsOpen<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new ClosedSignupRequirement());
}
