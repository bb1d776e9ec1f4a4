using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using JiraExport.Api.Contracts;
using JiraExport.Api.Preconditions;
using JiraExport.Api.Reports;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The handlers of <c>templates</c>: drafts, their versions, and lists of both.</summary>
public static partial class TemplatesApi
{
    /// <summary>Built-in and own templates in one list by name (ordinal, as slugs sort); the cursor is the last name read.</summary>
    public static async Task<Results<Ok<ListPage<TemplateSummaryResponse>>, ValidationProblem>> ListTemplatesV2(
        int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, _) = ListPages.Read(limit, cursor: null, errors);
        var after = "";
        if (cursor is not null && !TryReadNameCursor(cursor, out after))
        {
            errors["cursor"] = ["The cursor is not one this API handed out; start again without it."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var own = await db.ReportTemplates.AsNoTracking()
            .Where(t => t.DeletedAt == null && string.Compare(EF.Functions.Collate(t.Name, "C"), after) > 0)
            .OrderBy(t => EF.Functions.Collate(t.Name, "C")).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = BuiltInTemplates.All.Where(b => string.CompareOrdinal(b.Name, after) > 0)
            .Select(b => new TemplateSummaryResponse(null, b.Name, b.Kind, b.Description, true, BuiltInTemplate.Version, null))
            .Concat(own.Select(t => new TemplateSummaryResponse(t.Id, t.Name, t.Kind, t.Description, false, t.LatestVersion, t.UpdatedAt)))
            .OrderBy(t => t.Name, StringComparer.Ordinal).Take(pageSize + 1).ToList();
        var next = page.Count > pageSize ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page[pageSize - 1].Name)) : null;
        return TypedResults.Ok(ListPages.Create(request, page.Take(pageSize).ToList(), next,
            t => t.Id is { } id ? ListPages.V2($"/templates/{id}") : null));
    }

    private static bool TryReadNameCursor(string cursor, out string name)
    {
        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        name = "";
        if (cursor.Length > 200 || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written))
        {
            return false;
        }

        name = Encoding.UTF8.GetString(bytes, 0, written);
        // A name this API handed out is a slug; anything else (a NUL, say) would reach PostgreSQL only to be refused.
        return name.Length <= 100 && !name.Any(char.IsControl);
    }

    public static async Task<Results<Ok<ListPage<TemplateVersionResponse>>, ValidationProblem, ProblemHttpResult>> ListVersionsV2(
        Guid id, int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await FindAsync(db, id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var (versions, next) = await db.ReportTemplateVersions.AsNoTracking().Where(v => v.TemplateId == id)
            .NewestFirstAsync(v => v.PublishedAt, v => v.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. versions.Select(ToResponse)], next, v => ListPages.V2($"/templates/{id}/versions/{v.Version}")));
    }

    public static async Task<Ok<TemplateListResponse>> ListTemplates(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var own = await db.ReportTemplates.AsNoTracking().Where(t => t.DeletedAt == null).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var items = BuiltInTemplates.All
            .Select(b => new TemplateSummaryResponse(null, b.Name, b.Kind, b.Description, true, BuiltInTemplate.Version, null))
            .Concat(own.Select(t => new TemplateSummaryResponse(t.Id, t.Name, t.Kind, t.Description, false, t.LatestVersion, t.UpdatedAt)))
            .ToList();
        return TypedResults.Ok(new TemplateListResponse(items));
    }

    public static async Task<Created<TemplateResponse>> CreateTemplate(
        CreateTemplateRequest request, JiraExportDbContext db, TenantContext tenant, ReportTemplateEngine engine, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var source = request.CopyFrom is null ? null : BuiltInTemplates.Find(request.CopyFrom);
        var now = timeProvider.GetUtcNow();
        var template = new ReportTemplate
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.TenantId!.Value,
            Name = request.Name!,
            Kind = source?.Kind ?? request.Kind!,
            Description = request.Description?.Trim() ?? source?.Description,
            DraftLiquid = request.Liquid ?? source!.Source.Liquid,
            DraftCss = request.Css ?? source?.Source.Css ?? string.Empty,
            DraftAssets = request.Assets is null ? [] : ReportImages.FitAssets(request.Assets),
            CopiedFrom = source?.Name,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ReportTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/templates/{template.Id}", await ToResponseAsync(template, db, engine, cancellationToken));
    }

    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> GetTemplate(
        Guid id, HttpContext http, JiraExportDbContext db, ReportTemplateEngine engine, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, cancellationToken) is not { } template)
        {
            return NotFound(id);
        }

        ResourceVersions.Tag(http, template);
        return TypedResults.Ok(await ToResponseAsync(template, db, engine, cancellationToken));
    }

    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> UpdateTemplate(
        Guid id, UpdateTemplateRequest request, HttpContext http, JiraExportDbContext db, ReportTemplateEngine engine,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, cancellationToken) is not { } template)
        {
            return NotFound(id);
        }

        if (await ResourceVersions.CheckIfMatchAsync(http, db, template, cancellationToken) is { } stale)
        {
            return stale;
        }

        template.Description = request.Description?.Trim() ?? template.Description;
        template.DraftLiquid = request.Liquid ?? template.DraftLiquid;
        template.DraftCss = request.Css ?? template.DraftCss;
        template.DraftAssets = request.Assets is null ? template.DraftAssets : ReportImages.FitAssets(request.Assets);
        template.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        ResourceVersions.Tag(http, template);
        return TypedResults.Ok(await ToResponseAsync(template, db, engine, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTemplate(
        Guid id, HttpContext http, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, cancellationToken) is not { } template)
        {
            return NotFound(id);
        }

        if (await ResourceVersions.CheckIfMatchAsync(http, db, template, cancellationToken) is { } stale)
        {
            return stale;
        }

        template.DeletedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<TemplateVersionResponse>, ProblemHttpResult>> PublishTemplate(
        Guid id, PublishTemplateRequest? request, ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (await FindForUpdateAsync(db, id, cancellationToken) is not { } template)
        {
            return NotFound(id);
        }

        // Publishing freezes the draft the caller saw, not one changed since.
        if (await ResourceVersions.CheckIfMatchAsync(http, db, template, cancellationToken) is { } stale)
        {
            return stale;
        }

        var publishedBy = await ExportFinishingRequest.DescribeRequesterAsync(caller, db, cancellationToken);
        var version = Publish(db, template, template.DraftLiquid, template.DraftCss, template.DraftAssets, request?.Note, publishedBy, timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/templates/{id}/versions/{version.Version}", ToResponse(version));
    }

    public static async Task<Results<Created<TemplateVersionResponse>, ValidationProblem, ProblemHttpResult>> RollbackTemplate(
        Guid id, RollbackTemplateRequest request, ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (await FindForUpdateAsync(db, id, cancellationToken) is not { } template)
        {
            return NotFound(id);
        }

        if (await ResourceVersions.CheckIfMatchAsync(http, db, template, cancellationToken) is { } stale)
        {
            return stale;
        }

        var target = request.Version is { } number
            ? await db.ReportTemplateVersions.AsNoTracking().SingleOrDefaultAsync(v => v.TemplateId == id && v.Version == number, cancellationToken)
            : null;
        if (target is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["version"] = [template.LatestVersion is { } latest
                    ? $"Give a published version to roll back to, 1 to {latest}."
                    : "This template has no published version to roll back to."],
            });
        }

        // History stays linear and immutable: the old content becomes the next version, and the draft.
        template.DraftLiquid = target.Liquid;
        template.DraftCss = target.Css;
        template.DraftAssets = target.Assets;
        var publishedBy = await ExportFinishingRequest.DescribeRequesterAsync(caller, db, cancellationToken);
        var version = Publish(db, template, target.Liquid, target.Css, target.Assets, $"Rollback to version {target.Version}", publishedBy, timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/templates/{id}/versions/{version.Version}", ToResponse(version));
    }

    public static async Task<Results<Ok<TemplateVersionListResponse>, ProblemHttpResult>> ListVersions(
        Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var versions = await db.ReportTemplateVersions.AsNoTracking().Where(v => v.TemplateId == id).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        return TypedResults.Ok(new TemplateVersionListResponse(versions.Select(ToResponse).ToList()));
    }

    public static async Task<Results<Ok<TemplateVersionContentResponse>, ProblemHttpResult>> GetVersion(
        Guid id, int number, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.ReportTemplateVersions.AsNoTracking().SingleOrDefaultAsync(v => v.TemplateId == id && v.Version == number, cancellationToken);
        return found is null
            ? TypedResults.Problem(title: "Template version not found", detail: $"Template {id} has no version {number} in this tenant.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(new TemplateVersionContentResponse(found.Version, found.Note, found.PublishedBy, found.PublishedAt, found.Liquid, found.Css, found.Assets));
    }

    internal static Task<ReportTemplate?> FindAsync(JiraExportDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.ReportTemplates.SingleOrDefaultAsync(t => t.Id == id && t.DeletedAt == null, cancellationToken);

    internal static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        title: "Template not found", detail: $"No template {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Locks the template row: two publishes at once must not both take the same version number.</summary>
    private static Task<ReportTemplate?> FindForUpdateAsync(JiraExportDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.ReportTemplates.FromSql($"SELECT * FROM report_templates WHERE id = {id} AND deleted_at IS NULL FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    private static ReportTemplateVersion Publish(
        JiraExportDbContext db, ReportTemplate template, string liquid, string css, Dictionary<string, TemplateAsset> assets, string? note,
        string? publishedBy, DateTimeOffset now)
    {
        var version = new ReportTemplateVersion
        {
            Id = Guid.CreateVersion7(),
            TenantId = template.TenantId,
            TemplateId = template.Id,
            Version = (template.LatestVersion ?? 0) + 1,
            Liquid = liquid,
            Css = css,
            Assets = new Dictionary<string, TemplateAsset>(assets),
            Note = note is { Length: > 500 } ? note[..500] : note,
            PublishedBy = publishedBy is { Length: > 256 } ? publishedBy[..256] : publishedBy,
            PublishedAt = now,
        };
        db.ReportTemplateVersions.Add(version);
        template.LatestVersion = version.Version;
        template.UpdatedAt = now;
        return version;
    }

    private static async Task<TemplateResponse> ToResponseAsync(ReportTemplate t, JiraExportDbContext db, ReportTemplateEngine engine, CancellationToken cancellationToken)
    {
        var branding = await db.ReadBrandingAsync(cancellationToken);
        var sample = SampleReports.For(t.Kind, branding, new ReportOptionsModel(true, true));
        var (unknown, problem) = await engine.FindUnknownVariablesAsync(new TemplateSource(t.DraftLiquid, t.DraftCss, t.DraftAssets), sample, cancellationToken);
        return new TemplateResponse(
            t.Id, t.Name, t.Kind, t.Description, t.CopiedFrom, t.LatestVersion, t.DraftLiquid, t.DraftCss, t.DraftAssets, unknown, problem?.Message, t.CreatedAt, t.UpdatedAt);
    }

    private static TemplateVersionResponse ToResponse(ReportTemplateVersion v) => new(v.Version, v.Note, v.PublishedBy, v.PublishedAt);
}
