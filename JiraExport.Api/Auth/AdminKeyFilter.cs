using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Auth;

/// <summary>Lets a request through only with the platform admin key in <c>X-Admin-Key</c>, compared in constant time.</summary>
internal sealed class AdminKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        return PresentsAdminKey(context.HttpContext, options.Value) ? await next(context) : AdminKeyRequired();
    }

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

internal static class AdminKeyEndpointExtensions
{
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter<TBuilder, AdminKeyFilter>().WithMetadata(new AdminKeyRequirement());
}
