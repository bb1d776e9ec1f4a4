using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Finishing;
using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static partial class ExportsApi
{
    internal static async Task<Results<Accepted<ExportAcceptedResponse>, ProblemHttpResult>> RequestExport(
        CreateExportRequest request, ExportRequestValidator validated, [AsParameters] ExportServices services, FinishingSecrets secrets,
        ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var template = validated.Template!;
        if (await services.Quotas.CheckNewExportAsync(cancellationToken) is { } overQuota)
        {
            return overQuota;
        }

        var export = new Export
        {
            Id = Guid.CreateVersion7(),
            TenantId = services.Tenant.TenantId!.Value,
            ConnectionId = request.ConnectionId,
            Jql = request.Jql!.Trim(),
            Format = request.Format?.ToLowerInvariant() ?? ExportValidation.DefaultFormat,
            Template = template.Name,
            TemplateId = template.TemplateId,
            TemplateVersionId = template.VersionId,
            Title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim(),
            Source = request.Source ?? ExportSources.Store,
            TemplateVersion = template.Version,
            Fields = request.Fields?.ToList(),
            Options = ExportFinishingRequest.ProtectSecrets(request.Options, secrets, services.Tenant.TenantId!.Value),
            RequestedBy = await ExportFinishingRequest.DescribeRequesterAsync(caller, services.Db, cancellationToken),
            RequestedById = caller.GetPrincipal()?.Id,
            CreatedAt = services.TimeProvider.GetUtcNow(),
        };
        services.Db.Exports.Add(export);
        // The job and the row commit together (outbox): no job without a row, no row without a job.
        services.Outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.ExportJobsRoutingKey, new ExportRequested(export.TenantId, export.Id));
        await services.Events.AppendAsync(export, ExportEventTypes.Progress, "Queued", cancellationToken);
        await services.Db.SaveChangesAsync(cancellationToken);

        return TypedResults.Accepted($"/api/v1/exports/{export.Id}", new ExportAcceptedResponse(export.Id, ToStatus(export.Status)));
    }

    public static Task<Results<Ok<ExportPageResponse>, ValidationProblem>> ListExports(
        JiraExportDbContext db, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = PageCursor.ReadPage(limit, cursor, defaultSize: 20, maxSize: 100, errors);
        return ReadExportsAsync(db, status, pageSize, after, errors, (items, next) => new ExportPageResponse(items, next), cancellationToken);
    }

    public static Task<Results<Ok<ListPage<ExportResponse>>, ValidationProblem>> ListExportsV2(
        HttpRequest request, JiraExportDbContext db, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        return ReadExportsAsync(db, status, pageSize, after, errors,
            (items, next) => ListPages.Create(request, items, next, e => ListPages.V2($"/exports/{e.Id}")), cancellationToken);
    }

    /// <summary>One page of exports, newest first, in the shape of the version asked (<paramref name="toPage"/>).</summary>
    private static async Task<Results<Ok<TPage>, ValidationProblem>> ReadExportsAsync<TPage>(
        JiraExportDbContext db, string? status, int pageSize, PageCursor? after, Dictionary<string, string[]> errors,
        Func<IReadOnlyList<ExportResponse>, string?, TPage> toPage, CancellationToken cancellationToken)
    {
        ExportStatus? statusFilter = null;
        if (status is not null)
        {
            if (Enum.TryParse<ExportStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = ["Status must be one of queued, running, succeeded, failed, cancelled, expired."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Previews are not exports; a bulk export's parts are listed under it (GET /exports/{id}/parts).
        var query = db.Exports.AsNoTracking().Where(e => !e.IsPreview && e.ParentExportId == null);
        if (statusFilter is { } s)
        {
            query = query.Where(e => e.Status == s);
        }

        var (page, next) = await query.NewestFirstAsync(e => e.CreatedAt, e => e.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(toPage([.. page.Select(ToResponse)], next));
    }

    public static async Task<Results<Ok<ExportResponse>, ProblemHttpResult>> GetExport(
        Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var export = await db.Exports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (export is null)
        {
            return NotFoundProblem(id);
        }

        return TypedResults.Ok(await DescribeAsync(export, db, cancellationToken));
    }

    /// <summary>An export as GET answers it: a bulk export with its parts counted by status.</summary>
    internal static async Task<ExportResponse> DescribeAsync(Export export, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (export.Bulk is null)
        {
            return ToResponse(export);
        }

        var parts = await db.Exports.Where(e => e.ParentExportId == export.Id).GroupBy(e => e.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return ToResponse(export, parts);
    }

    internal static ProblemHttpResult NotFoundProblem(Guid id) => TypedResults.Problem(
        title: "Export not found",
        detail: $"No export {id} exists in this tenant.",
        statusCode: StatusCodes.Status404NotFound);

    internal static string ToStatus(ExportStatus status) => status.ToString().ToLowerInvariant();

    internal static ExportResponse ToResponse(Export e) => ToResponse(e, parts: null);

    /// <param name="e">The export.</param>
    /// <param name="parts">A bulk export's parts counted by status; without it the summary shows only the number of parts.</param>
    internal static ExportResponse ToResponse(Export e, IReadOnlyDictionary<ExportStatus, int>? parts) => new(
        e.Id, ToStatus(e.Status), e.Progress, e.IssueCount, e.Error, e.CreatedAt, e.CompletedAt, e.FileName, e.SizeBytes,
        e.ConnectionId, e.Jql, e.Format, e.Template, e.Title, e.Source, e.SyncWatermark, e.TemplateVersion, e.Fields, e.ExpiresAt,
        e.Bulk is null ? null : new BulkExportSummary(e.Bulk.SplitBy, e.Bulk.Package, e.PartCount,
            parts?.GetValueOrDefault(ExportStatus.Succeeded), parts?.GetValueOrDefault(ExportStatus.Failed), CancelledParts(e, parts)),
        e.ParentExportId, e.Message);

    /// <summary>A bulk export cancelled while its parts were still being created: the parts never created count as cancelled.</summary>
    private static int? CancelledParts(Export e, IReadOnlyDictionary<ExportStatus, int>? parts) =>
        parts is null ? null
        : e.Status == ExportStatus.Cancelled && e.PartCount is { } planned
            ? planned - parts.GetValueOrDefault(ExportStatus.Succeeded) - parts.GetValueOrDefault(ExportStatus.Failed)
            : parts.GetValueOrDefault(ExportStatus.Cancelled);
}
