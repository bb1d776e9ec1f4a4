using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JiraExport.Api.Caching;

/// <summary>
/// ETags for reads whose answer has no version of its own (lists, pages, searches): a weak tag over the answer's JSON.
/// A client sending it back in <c>If-None-Match</c> is answered 304 while the answer is unchanged, whether the answer is
/// read anew or comes from the read cache (which keeps the tag and answers 304 itself). A resource that carries its
/// version as ETag (<see cref="Preconditions.ResourceVersions"/>) keeps that one.
/// </summary>
internal static class ContentETags
{
    public static TBuilder TagsContent<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) || http.Response.Headers.ETag.Count > 0
                || Unwrap(result) is not { } answer || answer is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK }
                || answer is not IValueHttpResult { Value: { } value })
            {
                return result;
            }

            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json));
            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"", isWeak: true);
            http.Response.Headers.ETag = tag.ToString();
            return EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var sent)
                && sent.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false))
                    ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                    : result;
        });

    private static object? Unwrap(object? result) => result is INestedHttpResult nested ? Unwrap(nested.Result) : result;
}
