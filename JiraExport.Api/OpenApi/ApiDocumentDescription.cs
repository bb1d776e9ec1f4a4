using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JiraExport.Api.OpenApi;

/// <summary>What a document says once for all its operations: its title, how a caller authenticates, the problem shape.</summary>
internal sealed class ApiDocumentDescription : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string ApiKey = "apiKey";
    public const string AdminKey = "adminKey";
    public const string ProblemSchema = "ProblemDetails";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Tenants"] = "Creating and managing tenants: the platform operator's, with the admin key.",
        ["Auth"] = "Signing in with a password, MFA or SSO, and the sessions and tokens that follow.",
        ["Security"] = "The tenant's security log.",
        ["API keys"] = "Keys for integrations, each with its own scopes.",
        ["Users"] = "The tenant's members, their roles and invitations.",
        ["SSO"] = "The tenant's OpenID Connect or SAML identity provider.",
        ["PDF finishing"] = "Watermarks, encryption and signing of exported PDFs.",
        ["Connections"] = "Jira Cloud and Data Center sites the tenant reads from.",
        ["Exports"] = "Turning the issues a JQL query matches into PDF, CSV, XLSX or JSON files.",
        ["Templates"] = "The Liquid templates reports are rendered with, their versions and previews.",
        ["Sync"] = "Copying Jira's issues into the store, once or on a schedule.",
        ["Issues"] = "The synced issues, searched with JQL.",
        ["Analytics"] = "Flow metrics, charts and forecasts of the synced issues, by the tenant's versioned definitions.",
        ["Events"] = "The tenant's event log, to resume from a sequence number.",
        ["Webhooks"] = "Jira's deliveries in, and the tenant's signed webhooks out.",
        ["Versions"] = "The API versions this server has and until when each is kept.",
    };

    private static string Lifecycle(ApiVersionPolicy policy) => policy is { Deprecated: { } deprecated, Sunset: { } sunset }
        ? $"\n\n**Deprecated** since {deprecated:yyyy-MM-dd} and answered until {sunset:yyyy-MM-dd}: see `{ApiVersions.MigrationGuidePath}`."
        : "";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "JiraExport API",
            Version = context.DocumentName,
            Description =
                "Exports of Jira issues as PDF, CSV, XLSX and JSON reports, for many tenants. Authenticate with an access token " +
                "(`POST /api/v1/auth/token`) or an API key; each operation names the scope it needs. Every error is an RFC 9457 " +
                "problem (`application/problem+json`)." + Lifecycle(ApiVersions.PolicyOf(context.DocumentName)),
        };
        // The document is the same wherever it is served from (and committed): callers use the host they reached it on.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host this document was read from" }];
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from `POST /api/v1/auth/token` (or the SSO sign-in). Its `scope` claim must hold the scope an operation names. " +
                              "An API key may be sent here too, as `Bearer jx_…`.",
            },
            [ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key from `POST /api/v1/api-keys`, granted the scopes it was created with.",
            },
            [AdminKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = AdminKeys.HeaderName,
                Description = "The platform operator's key, for creating and managing tenants. Never given to a tenant.",
            },
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem: `title` says what went wrong, `detail` what to do about it.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "For 400: each invalid field with what is wrong with it.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        });
        return Task.CompletedTask;
    }
}
