using JiraExport.Api.Audit;
using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Api.Idempotency;
using JiraExport.Api.OpenApi;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Every route under <c>exports</c>: single and bulk export requests, their status and parts, cancelling, and the stored
/// file. The handlers are beside this file (<c>ExportsApi.Requests</c>, <c>.Bulk</c>, <c>.Files</c>), with the validators.
/// </summary>
public static partial class ExportsApi
{
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("exports").WithTags("Exports").RequireTenant();

        api.MapPost("/", RequestExport)
            .RequireAuthorization(Scopes.ExportsWrite)
            .Idempotent()
            .AcceptsBodyUpTo(RequestBodyLimits.WithWatermarkImage)
            .WithName("RequestExport")
            .WithSummary("Queue an export of the issues a JQL query matches");
        api.MapGet("/", ListExports)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListExports")
            .WithSummary("List exports, newest first, with cursor paging");
        api.MapGet("/", ListExportsV2)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListExports")
            .WithSummary("List exports, newest first, with cursor paging");
        api.MapGet("/{id:guid}", GetExport)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetExport")
            .WithSummary("Get an export's status and progress");

        api.MapPost("/bulk", RequestBulkExport)
            .RequireAuthorization(Scopes.ExportsWrite)
            .Idempotent()
            .WithName("RequestBulkExport")
            .WithSummary("Queue a bulk export: one document per issue, project, sprint or JQL, packaged as a ZIP or one merged PDF");
        api.MapPost("/{id:guid}/cancel", CancelExport)
            .RequireAuthorization(Scopes.ExportsWrite)
            .WithName("CancelExport")
            .WithSummary("Cancel a queued or running export; for a bulk export, every part not yet finished too");
        api.MapGet("/{id:guid}/parts", ListBulkExportParts)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListBulkExportParts")
            .WithSummary("List a bulk export's documents in order, with cursor paging");
        api.MapGet("/{id:guid}/parts", ListBulkExportPartsV2)
            .RequireAuthorization(Scopes.ExportsRead)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListBulkExportParts")
            .WithSummary("List a bulk export's documents in order, with cursor paging");

        api.MapGet("/{id:guid}/file", DownloadExportFile)
            .RequireAuthorization(Scopes.ExportsRead)
            .AuditsReads()
            .WithName("DownloadExportFile")
            .WithSummary("Download a finished export's file (streams; Range, ETag and If-None-Match supported)")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/pdf", "text/csv", "application/json", XlsxMediaType)
            .Produces(StatusCodes.Status206PartialContent, typeof(Stream), "application/pdf", "text/csv", "application/json", XlsxMediaType)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status410Gone);
        // HEAD answers as GET would, without the content (the file result sends no body for HEAD).
        api.MapMethods("/{id:guid}/file", [HttpMethods.Head], DownloadExportFile)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("DescribeExportFile")
            .WithSummary("A finished export's file size, type and ETag, without its content")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status410Gone);
        api.MapDelete("/{id:guid}/file", DeleteExportFile)
            .RequireAuthorization(Scopes.ExportsWrite)
            .WithName("DeleteExportFile")
            .WithSummary("Delete an export's file before its retention ends, to free storage; the export stays, expired");

        return app;
    }
}
