using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Security.Claims;
using JiraExport.Api.Auth;
using JiraExport.Api.Validation;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Idempotency;

/// <summary>
/// A create sent with an <c>Idempotency-Key</c> runs once: the same key and body again get the first answer (marked
/// <c>Idempotent-Replayed: true</c>), another body gets 422, and a retry while the first still runs gets 409. Keys
/// belong to the caller's tenant (the platform admin has its own) and are kept 24 h. Only a 2xx answer is kept: a
/// refused request frees its key for the corrected one.
/// </summary>
internal sealed class IdempotentCreateFilter(
    IdempotentRequestStore store, TenantContext tenant, JiraExportDbContext db, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    private static readonly object AnsweredByKeyItem = new();

    /// <summary>
    /// Whether this filter answered from the key alone (a replay, a retry while the first runs, another request, a bad
    /// key): the handler did not run, so nothing changed and the audit trail has no entry to add.
    /// </summary>
    public static bool AnsweredByKey(HttpContext http) => http.Items.ContainsKey(AnsweredByKeyItem);
    public const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return await next(context);
        }

        var key = values.ToString();
        if (values.Count != 1 || !IsWellFormed(key))
        {
            http.Items[AnsweredByKeyItem] = true;
            return TypedResults.Problem(
                title: "Invalid Idempotency-Key",
                detail: $"Send one {HeaderName} of 1 to {MaxKeyLength} visible ASCII characters; a new UUID per operation is a good key.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var cancellationToken = http.RequestAborted;
        // Keys are the tenant's; the admin's (no tenant, only on admin-key endpoints) are the platform's own.
        if (tenant.TenantId is not { } tenantId)
        {
            tenantId = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<AdminKeyRequirement>() is not null
                ? Guid.Empty
                : throw new InvalidOperationException("An idempotent endpoint acts for a tenant or for the platform admin.");
        }

        var fingerprint = await FingerprintAsync(http, cancellationToken);
        var claim = await store.ClaimAsync(db, tenantId, key, fingerprint, cancellationToken);
        if (claim is not KeyClaim.Claimed)
        {
            http.Items[AnsweredByKeyItem] = true;
        }

        switch (claim)
        {
            case KeyClaim.Replay(var answer):
                http.Response.Headers[ReplayedHeaderName] = "true";
                if (answer.Location is not null)
                {
                    http.Response.Headers.Location = answer.Location;
                }

                return TypedResults.Text(answer.Json, "application/json", Encoding.UTF8, answer.StatusCode);
            case KeyClaim.Running:
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(
                    title: "The first request with this Idempotency-Key is still running",
                    detail: "Retry in a moment: once it has finished, the same key and body get its answer.",
                    statusCode: StatusCodes.Status409Conflict);
            case KeyClaim.OtherRequest:
                return TypedResults.Problem(
                    title: "Idempotency-Key used with another request",
                    detail: $"This {HeaderName} was first sent with a different method, path or body. Send a new key for a new request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await store.ReleaseAsync(db, tenantId, key, afterException: true);
            throw;
        }

        if (KeptAnswerOf(result) is { } kept)
        {
            await store.KeepAsync(db, tenantId, key, kept, cancellationToken);
        }
        else
        {
            await store.ReleaseAsync(db, tenantId, key, afterException: false);
        }

        return result;
    }

    private static bool IsWellFormed(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// The caller, the method, the path (ids included) and the body as sent: any difference is another request. With the
    /// caller in it, a replay never hands one member (or API key) the answer another was given.
    /// </summary>
    private static async Task<string> FingerprintAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var caller = http.User.GetUserId()?.ToString() ?? http.User.FindFirstValue(ApiKeyAuthenticationHandler.ApiKeyClaim) ?? "platform-admin";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{caller}\n{request.Method} {request.Path}\n"));
        // The body was buffered (UseIdempotencyKeys) and read by binding; read it again from the start.
        request.Body.Position = 0;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private KeptAnswer? KeptAnswerOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        if (result is not IStatusCodeHttpResult { StatusCode: >= 200 and < 300 and var status })
        {
            return null;
        }

        var value = (result as IValueHttpResult)?.Value;
        // Created<T> and Accepted<T> carry their Location; no interface names it.
        var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
        var body = value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
        return new KeptAnswer(status, location, body);
    }
}

/// <summary>Marks an operation that takes an <c>Idempotency-Key</c>, for its OpenAPI description.</summary>
internal sealed class IdempotentCreateMetadata;

internal static class IdempotencyExtensions
{
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<IdempotentCreateFilter>().ValidateAfterIdempotencyKey().WithMetadata(new IdempotentCreateMetadata());

    /// <summary>
    /// Keeps the body of a request with an Idempotency-Key readable after binding, for its fingerprint: only on the
    /// endpoints that take one (after routing), so no other request is buffered.
    /// </summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Headers.ContainsKey(IdempotentCreateFilter.HeaderName)
            && context.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreateMetadata>() is not null)
        {
            context.Request.EnableBuffering();
        }

        return next(context);
    });
}
