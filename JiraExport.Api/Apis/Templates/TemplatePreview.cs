using JiraExport.Api.Contracts;
using JiraExport.Api.Quotas;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Storage;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// A preview is an export the Worker renders like any other (same sandbox, same Chromium), hidden from the export list;
/// it has its own quotas (<see cref="TenantQuotas.CheckNewPreviewAsync"/>). The request waits for it and answers with
/// the file, then the preview is deleted.
/// </summary>
internal static class TemplatePreview
{
    /// <summary>The structural rules of <see cref="PreviewTemplateRequest"/>.</summary>
    public static Dictionary<string, string[]> Validate(PreviewTemplateRequest request) =>
        request.Format?.ToLowerInvariant() is null or "pdf" or "html" ? [] : new() { ["format"] = ["A preview is \"pdf\" or \"html\"."] };

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    public static async Task<Results<PreviewFileResult, ProblemHttpResult>> PreviewTemplate(
        Guid id, PreviewTemplateRequest request, [AsParameters] ExportServices services, UsageRecorder usage, CancellationToken cancellationToken)
    {
        if (await TemplatesApi.FindAsync(services.Db, id, cancellationToken) is not { } template)
        {
            return TemplatesApi.NotFound(id);
        }

        var format = request.Format?.ToLowerInvariant() ?? "pdf";
        var jql = request.Jql?.Trim() ?? string.Empty;
        var version = request.Version is { } number
            ? await services.Db.ReportTemplateVersions.AsNoTracking().SingleAsync(v => v.TemplateId == id && v.Version == number, cancellationToken)
            : null;
        if (await services.Quotas.CheckNewPreviewAsync(cancellationToken) is { } exceeded)
        {
            return exceeded;
        }

        var export = new Export
        {
            Id = Guid.CreateVersion7(),
            TenantId = services.Tenant.TenantId!.Value,
            ConnectionId = jql.Length > 0 ? request.ConnectionId : null,
            Jql = jql,
            Format = format,
            Template = template.Name,
            TemplateId = template.Id,
            TemplateVersionId = version?.Id,
            Title = string.IsNullOrWhiteSpace(request.Title) ? $"Preview of {template.Name}" : request.Title.Trim(),
            Source = ExportSources.Store,
            IsPreview = true,
            CreatedAt = services.TimeProvider.GetUtcNow(),
        };
        services.Db.Exports.Add(export);
        services.Outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.ExportJobsRoutingKey, new ExportRequested(export.TenantId, export.Id));
        await services.Db.SaveChangesAsync(cancellationToken);
        await usage.RecordPreviewAsync(cancellationToken);

        // The endpoint's transaction commits when this returns; the result waits for the Worker after that.
        return new PreviewFileResult(export.Id);
    }

    /// <summary>Waits for the preview to render, answers with its file or its failure, and removes it.</summary>
    internal sealed class PreviewFileResult(Guid exportId) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var db = httpContext.RequestServices.GetRequiredService<JiraExportDbContext>();
            var cancellationToken = httpContext.RequestAborted;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Deadline);
            try
            {
                while (true)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    var export = await db.Exports.AsNoTracking().SingleAsync(e => e.Id == exportId, cancellationToken);
                    if (export.Status == ExportStatus.Succeeded)
                    {
                        await transaction.CommitAsync(cancellationToken);
                        var (contentType, content) = await ReadFileAsync(httpContext, db, cancellationToken);
                        await DeleteAsync(db, cancellationToken);
                        await TypedResults.File(content, contentType).ExecuteAsync(httpContext);
                        return;
                    }

                    if (export.Status == ExportStatus.Failed)
                    {
                        await transaction.CommitAsync(cancellationToken);
                        await DeleteAsync(db, cancellationToken);
                        await TypedResults.Problem(title: "The template could not be rendered", detail: export.Error,
                            statusCode: StatusCodes.Status422UnprocessableEntity).ExecuteAsync(httpContext);
                        return;
                    }

                    await transaction.CommitAsync(cancellationToken);
                    await Task.Delay(PollInterval, deadline.Token);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await TypedResults.Problem(
                    title: "The preview is still rendering",
                    detail: $"The preview did not finish within {Deadline.TotalSeconds:0} s. Preview with less data (a narrower JQL) or try again when the Worker is less busy.",
                    statusCode: StatusCodes.Status504GatewayTimeout).ExecuteAsync(httpContext);
            }
        }

        private async Task<(string ContentType, byte[] Content)> ReadFileAsync(HttpContext httpContext, JiraExportDbContext db, CancellationToken cancellationToken)
        {
            var store = httpContext.RequestServices.GetRequiredService<IExportArtifactStore>();
            // The file row is read under the tenant's row-level security, which is set per transaction; the pieces
            // are read in transactions of their own.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (file, content) = await store.OpenReadAsync(exportId, cancellationToken)
                ?? throw new InvalidOperationException($"Preview {exportId} succeeded without a file.");
            await transaction.CommitAsync(cancellationToken);
            await using (content)
            {
                // A preview is at most 50 issues: small enough to hold.
                using var buffer = new MemoryStream();
                await content.CopyToAsync(buffer, cancellationToken);
                return (file.ContentType, buffer.ToArray());
            }
        }

        private async Task DeleteAsync(JiraExportDbContext db, CancellationToken cancellationToken)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Exports.Where(e => e.Id == exportId).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>What a preview checks in the store: the connection its JQL reads, and the version it names.</summary>
internal sealed class PreviewTemplateValidator(JiraExportDbContext db) : IRequestValidator<PreviewTemplateRequest>
{
    public async Task<RequestErrors> ValidateAsync(PreviewTemplateRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (!string.IsNullOrWhiteSpace(request.Jql)
            && (request.ConnectionId is not { } connectionId || !await db.JiraConnections.AnyAsync(c => c.Id == connectionId, cancellationToken)))
        {
            errors["connectionId"] = ["A preview with JQL needs the id of one of the tenant's Jira connections; leave out jql to preview sample data."];
        }

        if (request.Version is { } number && Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id)
            && !await db.ReportTemplateVersions.AnyAsync(v => v.TemplateId == id && v.Version == number, cancellationToken))
        {
            errors["version"] = [$"The template has no version {number}; leave version out to preview the draft."];
        }

        return errors;
    }
}
