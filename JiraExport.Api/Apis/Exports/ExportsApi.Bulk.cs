using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>Bulk exports (one request, many documents, one package), their parts, and cancelling any export.</summary>
public static partial class ExportsApi
{
    public static async Task<Results<Accepted<ExportAcceptedResponse>, ProblemHttpResult>> RequestBulkExport(
        CreateBulkExportRequest request, ClaimsPrincipal caller, [AsParameters] ExportServices services, CancellationToken cancellationToken)
    {
        if (await services.Quotas.CheckNewExportAsync(cancellationToken) is { } overQuota)
        {
            return overQuota;
        }

        var splitBy = BulkSplits.All.First(s => string.Equals(s, request.SplitBy, StringComparison.OrdinalIgnoreCase));
        var export = new Export
        {
            Id = Guid.CreateVersion7(),
            TenantId = services.Tenant.TenantId!.Value,
            ConnectionId = request.ConnectionId,
            // A jqlList bulk has no query of its own; its queries are in Bulk.
            Jql = request.Jql?.Trim() ?? string.Empty,
            Format = request.Format?.ToLowerInvariant() ?? ExportValidation.DefaultFormat,
            Template = request.Template ?? ExportValidation.DefaultTemplate,
            Title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim(),
            Source = request.Source ?? ExportSources.Store,
            TemplateVersion = request.TemplateVersion,
            Fields = request.Fields?.ToList(),
            Options = request.Options,
            RequestedById = caller.GetPrincipal()?.Id,
            Bulk = new BulkSpec(splitBy, request.Package ?? BulkPackages.Zip, request.JqlList?.Select(q => q.Trim()).ToList()),
            CreatedAt = services.TimeProvider.GetUtcNow(),
        };
        services.Db.Exports.Add(export);
        // Planning the parts reads Jira, so it is the Worker's job; the Api only writes the row and its message.
        services.Outbox.EnqueueBulkStep(export.TenantId, export.Id, BulkSteps.Plan);
        await services.Events.AppendAsync(export, ExportEventTypes.Progress, "Queued", cancellationToken);
        await services.Db.SaveChangesAsync(cancellationToken);

        return TypedResults.Accepted($"/api/v1/exports/{export.Id}", new ExportAcceptedResponse(export.Id, ExportsApi.ToStatus(export.Status)));
    }

    public static async Task<Results<Ok<ExportResponse>, ProblemHttpResult>> CancelExport(
        Guid id, [AsParameters] ExportServices services, ScheduledReports scheduledReports, CancellationToken cancellationToken)
    {
        // The lock orders this against the Worker's bulk steps: a part is not created, nor a package stored, after the cancel.
        var export = await services.Db.LockExportAsync(id, cancellationToken);
        if (export is null)
        {
            return ExportsApi.NotFoundProblem(id);
        }

        if (export.IsFinished)
        {
            return TypedResults.Problem(
                title: "Export already finished",
                detail: $"Export {id} is {ExportsApi.ToStatus(export.Status)}; only a queued or running export can be cancelled.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var now = services.TimeProvider.GetUtcNow();
        export.Cancel(now);
        var cancelledParts = export.Bulk is null ? 0 : await services.Db.CancelUnfinishedPartsAsync(export.Id, now, cancellationToken);
        await services.Events.AppendAsync(export, ExportEventTypes.Cancelled,
            export.Bulk is null ? "Cancelled on request" : $"Cancelled on request with {cancelledParts} unfinished documents", cancellationToken);
        // A part cancelled on its own counts as finished for its bulk export, which then packages the others.
        services.Outbox.NotifyParentOfFinishedPart(export);
        await scheduledReports.ExportEndedWithoutFileAsync(export, "The export was cancelled on request.", cancellationToken);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ExportsApi.DescribeAsync(export, services.Db, cancellationToken));
    }

    public static Task<Results<Ok<BulkPartPageResponse>, ProblemHttpResult, ValidationProblem>> ListBulkExportParts(
        Guid id, int? limit, string? cursor, JiraExportDbContext db, CancellationToken cancellationToken) =>
        ReadPartsAsync(id, Math.Clamp(limit ?? 100, 1, 500), cursor, [], db, (parts, next) => new BulkPartPageResponse(parts, next), cancellationToken);

    public static Task<Results<Ok<ListPage<BulkPartResponse>>, ProblemHttpResult, ValidationProblem>> ListBulkExportPartsV2(
        Guid id, int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, _) = ListPages.Read(limit, cursor: null, errors);
        return ReadPartsAsync(id, pageSize, cursor, errors, db,
            (parts, next) => ListPages.Create(request, parts, next, p => ListPages.V2($"/exports/{p.Id}")), cancellationToken);
    }

    /// <summary>One page of a bulk export's parts in order; the cursor is the last ordinal read.</summary>
    private static async Task<Results<Ok<TPage>, ProblemHttpResult, ValidationProblem>> ReadPartsAsync<TPage>(
        Guid id, int pageSize, string? cursor, Dictionary<string, string[]> errors, JiraExportDbContext db,
        Func<IReadOnlyList<BulkPartResponse>, string?, TPage> toPage, CancellationToken cancellationToken)
    {
        var after = -1;
        if (cursor is not null && !int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after))
        {
            errors["cursor"] = ["Pass the cursor the previous page gave (nextCursor in v1, next in v2)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.Exports.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return ExportsApi.NotFoundProblem(id);
        }

        var parts = await db.Exports.AsNoTracking()
            .Where(e => e.ParentExportId == id && e.Ordinal > after)
            .OrderBy(e => e.Ordinal)
            .Take(pageSize + 1)
            .Select(e => new BulkPartResponse(e.Id, e.Ordinal!.Value, e.Title, e.Jql, e.Status.ToString().ToLower(), e.IssueCount, e.Error,
                e.FileName, e.SizeBytes, e.CompletedAt))
            .ToListAsync(cancellationToken);
        var next = parts.Count > pageSize ? parts[pageSize - 1].Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(toPage(parts.Take(pageSize).ToList(), next));
    }
}
