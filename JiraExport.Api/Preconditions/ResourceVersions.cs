using System.Globalization;
using JiraExport.Api.Extensions;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace JiraExport.Api.Preconditions;

/// <summary>
/// ETags and If-Match for resources clients change in place (templates, tenant settings, branding, connections): every
/// answer about one carries its <see cref="IVersionedResource.Version"/> as a strong ETag, and a write sent with If-Match
/// goes ahead only if the resource is still at that version — checked under a row lock, so no other write can slip in
/// before this one commits.
/// </summary>
internal static class ResourceVersions
{
    /// <summary>Where <see cref="Tag"/> leaves the resource for <see cref="NotModifiedFilter"/>.</summary>
    private const string TaggedItem = "JiraExport.TaggedResource";

    public static string ETagOf(IVersionedResource resource) => $"\"{resource.Version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Sends the resource's ETag with a successful answer, as the resource stands when the answer starts (after any write).
    /// Set at once too, so a cached read (which keeps the headers it had before the answer started) keeps it.
    /// </summary>
    public static void Tag(HttpContext http, IVersionedResource resource)
    {
        http.Items[TaggedItem] = resource;
        http.Response.Headers.ETag = ETagOf(resource);
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode is >= 200 and < 300)
            {
                http.Response.Headers.ETag = ETagOf(resource);
            }
            else
            {
                http.Response.Headers.Remove(HeaderNames.ETag);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// A read sent with <c>If-None-Match</c> naming the resource's current ETag (or <c>*</c>) is answered 304 Not Modified,
    /// without a body: the client's copy is current. Compared weakly, as RFC 9110 says for If-None-Match.
    /// </summary>
    public static async ValueTask<object?> NotModifiedFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) || http.Items[TaggedItem] is not IVersionedResource resource
            || HttpResultStatus.Of(result) != StatusCodes.Status200OK
            || !EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var tags))
        {
            return result;
        }

        var current = ETagOf(resource);
        if (!tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag == current))
        {
            return result;
        }

        http.Response.Headers.ETag = current;
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }

    /// <summary>
    /// Null when the write may go ahead: no If-Match was sent, or it names the resource's current version (or is <c>*</c>
    /// and the resource exists). Otherwise a 412 saying how to catch up. Locks the resource's row until the request's
    /// transaction ends and reloads it, so the version compared is the latest committed one.
    /// </summary>
    public static async Task<ProblemHttpResult?> CheckIfMatchAsync<T>(HttpContext http, JiraExportDbContext db, T? resource, CancellationToken cancellationToken)
        where T : class, IVersionedResource
    {
        var ifMatch = http.Request.Headers.IfMatch;
        if (ifMatch.Count == 0)
        {
            return null;
        }

        if (resource is not null)
        {
            await LockAsync(db, resource, cancellationToken);
            var current = ETagOf(resource);
            // A malformed If-Match matches no version.
            if (EntityTagHeaderValue.TryParseList(ifMatch, out var tags)
                && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || (!tag.IsWeak && tag.Tag == current)))
            {
                return null;
            }

            http.Response.Headers.ETag = current;
        }

        return TypedResults.Problem(
            title: "The resource changed since you read it",
            detail: resource is null
                ? "If-Match names a version, but the resource does not exist yet: send the request without If-Match to create it."
                : $"If-Match named {ifMatch}, but the resource is now at {ETagOf(resource)}. GET it again, apply your change to what it holds now, and send it with the new ETag.",
            statusCode: StatusCodes.Status412PreconditionFailed);
    }

    private static async Task LockAsync<T>(JiraExportDbContext db, T resource, CancellationToken cancellationToken) where T : class
    {
        var entry = db.Entry(resource);
        var key = entry.Metadata.FindPrimaryKey()!.Properties.Single();
        // Table and column come from the model, never from the request.
        var lockRow = "SELECT 1 FROM " + entry.Metadata.GetTableName() + " WHERE " + key.GetColumnName() + " = {0} FOR UPDATE";
        await db.Database.ExecuteSqlRawAsync(lockRow, [entry.Property(key.Name).CurrentValue!], cancellationToken);
        await entry.ReloadAsync(cancellationToken);
    }
}

/// <summary>Marks an operation on a versioned resource, for its OpenAPI description (ETag on reads, If-Match on writes).</summary>
internal sealed class VersionedResourceMetadata;

internal static class VersionedResourceEndpoints
{
    public static RouteHandlerBuilder OnVersionedResource(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new VersionedResourceMetadata()).AddEndpointFilter(ResourceVersions.NotModifiedFilter);
}
