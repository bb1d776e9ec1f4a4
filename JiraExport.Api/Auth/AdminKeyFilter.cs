using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Auth;

/// <summary>Lets a request through only with the platform admin key in <c>X-Admin-Key</c>, compared in constant time.</summary>
internal sealed class AdminKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        var expected = options.Value.Key;
        if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return TypedResults.Problem(
                title: "Admin key required",
                detail: $"Send the platform admin key in the {HeaderName} header.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }
}
