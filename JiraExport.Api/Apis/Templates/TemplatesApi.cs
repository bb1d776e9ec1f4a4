using JiraExport.Core.Caching;
using JiraExport.Api.Caching;
using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Api.Idempotency;
using JiraExport.Api.OpenApi;
using JiraExport.Api.Preconditions;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Report templates of the tenant: a draft that changes, versions that never do. Publishing freezes the draft as the
/// next version; rolling back publishes an old version's content again; deleting hides the template.
/// </summary>
public static partial class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("templates").WithTags("Templates").RequireTenant().CachesReads(ReadCacheTags.Templates);

        api.MapGet("/", ListTemplatesV2)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListTemplates")
            .WithSummary("The tenant's templates and the built-in ones, by name");
        api.MapGet("/", ListTemplates)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListTemplates")
            .WithSummary("The tenant's templates and the built-in ones");
        api.MapPost("/", CreateTemplate)
            .RequireAuthorization(Scopes.TemplatesManage)
            .Idempotent()
            .AcceptsBodyUpTo(RequestBodyLimits.Template)
            .WithName("CreateTemplate")
            .WithSummary("Create a template, or copy a built-in one");
        api.MapGet("/{id:guid}", GetTemplate)
            .RequireAuthorization(Scopes.ExportsRead)
            .OnVersionedResource()
            .WithName("GetTemplate")
            .WithSummary("A template's draft");
        api.MapPut("/{id:guid}", UpdateTemplate)
            .RequireAuthorization(Scopes.TemplatesManage)
            .AcceptsBodyUpTo(RequestBodyLimits.Template)
            .OnVersionedResource()
            .WithName("UpdateTemplate")
            .WithSummary("Change the draft");
        api.MapDelete("/{id:guid}", DeleteTemplate)
            .RequireAuthorization(Scopes.TemplatesManage)
            .OnVersionedResource()
            .WithName("DeleteTemplate")
            .WithSummary("Delete (hide) a template; its versions stay for re-rendering");
        api.MapPost("/{id:guid}/publish", PublishTemplate)
            .RequireAuthorization(Scopes.TemplatesManage)
            .OnVersionedResource()
            .WithName("PublishTemplate")
            .WithSummary("Freeze the draft as the next version");
        api.MapGet("/{id:guid}/versions", ListVersionsV2)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListTemplateVersions")
            .WithSummary("Published versions, newest first");
        api.MapGet("/{id:guid}/versions", ListVersions)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListTemplateVersions")
            .WithSummary("Published versions, newest first");
        api.MapGet("/{id:guid}/versions/{number:int}", GetVersion)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetTemplateVersion")
            .WithSummary("One published version's content");
        api.MapPost("/{id:guid}/rollback", RollbackTemplate)
            .RequireAuthorization(Scopes.TemplatesManage)
            .OnVersionedResource()
            .WithName("RollbackTemplate")
            .WithSummary("Publish an earlier version's content as the next version");
        api.MapPost("/{id:guid}/preview", TemplatePreview.PreviewTemplate)
            .RequireAuthorization(Scopes.TemplatesManage)
            .WithName("PreviewTemplate")
            .WithSummary("Render the draft or a version to HTML or PDF")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "text/html", "application/pdf")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }
}
