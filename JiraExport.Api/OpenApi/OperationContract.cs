using JiraExport.Api.Auth;
using JiraExport.Api.Caching;
using JiraExport.Api.Extensions;
using JiraExport.Api.Idempotency;
using JiraExport.Api.Preconditions;
using JiraExport.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JiraExport.Api.OpenApi;

/// <summary>
/// What each operation asks of its caller (the scheme and the scope) and the problems it can answer, read from the
/// endpoint's own metadata: its authorization policies, its route and its body.
/// </summary>
internal sealed class OperationContract : IOpenApiOperationTransformer
{
    private static readonly string[] Writes = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = anonymous ? [] : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var adminKey = metadata.OfType<AdminKeyRequirement>().Any();
        if (metadata.OfType<OperationIdMetadata>().LastOrDefault() is { } operationId)
        {
            operation.OperationId = operationId.OperationId;
        }

        if (description.RelativePath?.StartsWith($"api/{context.DocumentName}/", StringComparison.Ordinal) == true
            && ApiVersions.PolicyOf(context.DocumentName).Deprecated is not null)
        {
            operation.Deprecated = true;
        }

        var scopes = Scopes.All.Where(policies.Contains).ToList();
        var signedIn = policies.Count > 0;

        if (adminKey)
        {
            operation.Security = [Requirement(ApiDocumentDescription.AdminKey, [], context.Document)];
        }
        else if (signedIn)
        {
            // A user session (sign-out, MFA enrolment) is a person's token; an API key never opens one.
            operation.Security = policies.Contains(AuthenticationExtensions.UserSessionPolicy)
                ? [Requirement(ApiDocumentDescription.Bearer, scopes, context.Document)]
                : [Requirement(ApiDocumentDescription.Bearer, scopes, context.Document), Requirement(ApiDocumentDescription.ApiKey, scopes, context.Document)];
        }
        else
        {
            operation.Security = [];
        }

        if (scopes.Count > 0)
        {
            operation.Description = $"{operation.Description}\n\nNeeds the scope `{string.Join("` and `", scopes)}`.".TrimStart();
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-required-scopes"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray([.. scopes.Select(s => System.Text.Json.Nodes.JsonValue.Create(s))]));
        }

        operation.Responses ??= new OpenApiResponses();
        var write = Writes.Contains(description.HttpMethod ?? "", StringComparer.OrdinalIgnoreCase);
        var idempotent = metadata.OfType<IdempotentCreateMetadata>().Any();
        if (idempotent)
        {
            DescribeIdempotencyKey(operation, context.Document);
        }

        if (metadata.OfType<VersionedResourceMetadata>().Any())
        {
            DescribeVersions(operation, context.Document, write);
        }
        else if (!write && metadata.OfType<CachedRead>().Any())
        {
            DescribeIfNoneMatch(operation, "The ETag of the answer you hold: if the answer is still the same, it is 304 without a body.",
                "A tag of the answer's content, for If-None-Match on a later read.");
        }

        var hasBody = operation.RequestBody is not null;
        AddProblem(operation, context.Document, 400, "The request is malformed or a field is invalid; `errors` says which and why.",
            hasBody || description.ParameterDescriptions.Count > 0);
        AddProblem(operation, context.Document, 401, adminKey
            ? $"The `{AdminKeys.HeaderName}` header is missing or wrong."
            : "No valid access token or API key was sent, or it was revoked.", adminKey || signedIn);
        AddProblem(operation, context.Document, 403, scopes.Count > 0
            ? $"The credential lacks the scope `{string.Join("`, `", scopes)}`, or the tenant is suspended."
            : "The tenant is suspended or scheduled for deletion.", signedIn);
        AddProblem(operation, context.Document, 404, "No such resource in the caller's tenant.", description.RelativePath?.Contains('{') == true);
        AddProblem(operation, context.Document, 409, idempotent
            ? "The first request with this Idempotency-Key is still running, or the write conflicts with a concurrent one; retry."
            : "The write conflicts with the resource's current state or with a concurrent write; retry or change the request.", write);
        AddProblem(operation, context.Document, 413, "The request body is larger than this operation accepts.", hasBody);
        AddProblem(operation, context.Document, 415, "The request body is not `application/json`.", hasBody);
        AddProblem(operation, context.Document, 429, "Too many requests, or a plan quota is used up; `Retry-After` says when to try again.", true);
        return Task.CompletedTask;
    }

    private static void DescribeIdempotencyKey(OpenApiOperation operation, OpenApiDocument? document)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotentCreateFilter.HeaderName,
            In = ParameterLocation.Header,
            Description = "Makes a retry safe: the same key and body again answer as the first time (with `Idempotent-Replayed: true`) " +
                          "and create nothing. Keys belong to the tenant and are kept 24 hours; a new UUID per operation is a good key.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotentCreateFilter.MaxKeyLength },
        });
        AddProblem(operation, document, 422, "The Idempotency-Key was first sent with another request.", true);
    }

    /// <summary>
    /// Reads answer with the resource's ETag, and 304 to an If-None-Match that names it; writes take If-Match and answer
    /// 412 when it names an older version.
    /// </summary>
    private static void DescribeVersions(OpenApiOperation operation, OpenApiDocument? document, bool write)
    {
        if (!write)
        {
            DescribeIfNoneMatch(operation, "The ETag of the copy you hold: if the resource is still at that version, the answer is 304 without a body.",
                "The resource's version, for If-Match on a later write.");
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Description = "The ETag the change is based on: the write happens only if the resource is still at that version.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        AddProblem(operation, document, 412, "If-Match names an older version than the resource's (its ETag is in the answer).", true);
        DescribeETag(operation, "The resource's version, for If-Match on a later write.");
    }

    /// <summary>A read that answers an ETag, and 304 to an If-None-Match naming it.</summary>
    private static void DescribeIfNoneMatch(OpenApiOperation operation, string parameter, string etag)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = parameter,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        operation.Responses ??= [];
        operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: the copy named in If-None-Match is current." };
        DescribeETag(operation, etag);
    }

    private static void DescribeETag(OpenApiOperation operation, string description)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.StartsWith('2') && response is OpenApiResponse described && status != "204")
            {
                described.Headers ??= new Dictionary<string, IOpenApiHeader>();
                described.Headers["ETag"] = new OpenApiHeader
                {
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, List<string> scopes, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [.. scopes] };

    /// <summary>Adds the problem answer unless the endpoint already declares that status (its own, more precise, description).</summary>
    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description, bool when)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!when || operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ApiDocumentDescription.ProblemSchema, document) },
            },
        };
    }
}
