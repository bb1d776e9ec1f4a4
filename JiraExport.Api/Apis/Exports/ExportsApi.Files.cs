using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace JiraExport.Api.Apis;

/// <summary>
/// An export's stored file: downloads stream from the artifact store with <c>Range</c> (one range; several are answered
/// with the whole file, as RFC 9110 allows), a strong <c>ETag</c> (SHA-256) for <c>If-None-Match</c> and <c>If-Range</c>;
/// a file past its retention, or deleted, is 410 Gone.
/// </summary>
public static partial class ExportsApi
{
    private const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadExportFile(
        Guid id, JiraExportDbContext db, IExportArtifactStore files, HttpContext http, CancellationToken cancellationToken)
    {
        var export = await db.Exports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (export is null)
        {
            return ExportsApi.NotFoundProblem(id);
        }

        if (export.Status == ExportStatus.Expired)
        {
            return GoneProblem(export);
        }

        if (export.Status != ExportStatus.Succeeded)
        {
            return TypedResults.Problem(
                title: "Export file not ready",
                detail: export.Status == ExportStatus.Failed
                    ? $"Export {id} failed: {export.Error}"
                    : $"Export {id} is {ExportsApi.ToStatus(export.Status)}; download it once its status is succeeded.",
                statusCode: StatusCodes.Status409Conflict);
        }

        if (await files.OpenReadAsync(id, cancellationToken) is not var (file, content))
        {
            return GoneProblem(export);
        }

        // The file is the tenant's: shared caches keep none of it, the browser revalidates with the ETag.
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(content, file.ContentType, file.FileName, file.CreatedAt, new EntityTagHeaderValue(file.ETag), enableRangeProcessing: true);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteExportFile(
        Guid id, JiraExportDbContext db, IExportArtifactStore files, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var export = await db.Exports.FromSql($"SELECT * FROM exports WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (export is null)
        {
            return ExportsApi.NotFoundProblem(id);
        }

        if (export.Status is ExportStatus.Queued or ExportStatus.Running)
        {
            return TypedResults.Problem(
                title: "Export still running",
                detail: $"Export {id} is {ExportsApi.ToStatus(export.Status)}; its file can be deleted once it has succeeded.",
                statusCode: StatusCodes.Status409Conflict);
        }

        await files.DeleteAsync(id, cancellationToken);
        if (export.Status == ExportStatus.Succeeded)
        {
            export.Expire();
            export.ExpiresAt = timeProvider.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult GoneProblem(Export export) => TypedResults.Problem(
        title: "Export file expired",
        detail: $"The file of export {export.Id} was deleted at {export.ExpiresAt:u}, when the tenant's retention for it ended or someone deleted it. "
            + "Request the export again for a fresh file; the tenant's retention is set with PATCH /api/v1/tenant (exportRetentionDays).",
        statusCode: StatusCodes.Status410Gone,
        extensions: new Dictionary<string, object?> { ["expiredAt"] = export.ExpiresAt });
}
