using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Preconditions;
using JiraExport.Core.Analytics;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The handlers of <c>analytics/definitions</c>: a tenant's flow definitions and their versions.</summary>
public static partial class AnalyticsApi
{
    public static async Task<Ok<List<MetricDefinitionResponse>>> ListDefinitions(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var own = await db.MetricDefinitions.AsNoTracking().Where(d => d.DeletedAt == null)
            .Join(db.MetricDefinitionVersions, d => new { d.Id, Version = d.LatestVersion }, v => new { Id = v.DefinitionId, v.Version }, (d, v) => new { d, v })
            .OrderBy(x => x.d.Name).Take(MaxDefinitions).ToListAsync(cancellationToken);
        return TypedResults.Ok<List<MetricDefinitionResponse>>([BuiltInResponse, .. own.Select(x => ToResponse(x.d, x.v))]);
    }

    public static async Task<Results<Created<MetricDefinitionResponse>, ValidationProblem>> CreateDefinition(
        CreateMetricDefinitionRequest request, ClaimsPrincipal caller, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await db.MetricDefinitions.AnyAsync(d => d.Name == request.Name && d.DeletedAt == null, cancellationToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A definition named \"{request.Name}\" exists already; choose another name or give that one new rules."],
            });
        }

        if (await db.MetricDefinitions.CountAsync(d => d.DeletedAt == null, cancellationToken) >= MaxDefinitions)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A tenant keeps at most {MaxDefinitions} definitions; delete one it no longer uses."],
            });
        }

        var now = timeProvider.GetUtcNow();
        var definition = new MetricDefinition
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId!.Value,
            Name = request.Name!,
            Description = request.Description?.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.MetricDefinitions.Add(definition);
        var version = await AddVersionAsync(db, definition, request.Rules!, request.Note, caller, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/analytics/definitions/{definition.Id}", ToResponse(definition, version));
    }

    /// <summary>The latest version, or the one <paramref name="definitionVersion"/> names (<c>version</c> is the API's).</summary>
    public static async Task<Results<Ok<MetricDefinitionResponse>, ProblemHttpResult>> GetDefinition(
        Guid id, int? definitionVersion, HttpContext http, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (await db.MetricDefinitions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.DeletedAt == null, cancellationToken) is not { } definition)
        {
            return DefinitionNotFound(id);
        }

        var number = definitionVersion ?? definition.LatestVersion;
        if (await db.MetricDefinitionVersions.AsNoTracking().SingleOrDefaultAsync(v => v.DefinitionId == id && v.Version == number, cancellationToken) is not { } found)
        {
            return TypedResults.Problem(title: "Definition version not found",
                detail: $"Definition {id} has versions 1 to {definition.LatestVersion}.", statusCode: StatusCodes.Status404NotFound);
        }

        ResourceVersions.Tag(http, definition);
        return TypedResults.Ok(ToResponse(definition, found));
    }

    /// <summary>New rules become the next version; the description changes in place.</summary>
    public static async Task<Results<Ok<MetricDefinitionResponse>, ProblemHttpResult>> UpdateDefinition(
        Guid id, UpdateMetricDefinitionRequest request, ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        // Locked: two changes at once must not both take the same version number.
        var definition = await db.MetricDefinitions
            .FromSql($"SELECT * FROM metric_definitions WHERE id = {id} AND deleted_at IS NULL FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (definition is null)
        {
            return DefinitionNotFound(id);
        }

        if (await ResourceVersions.CheckIfMatchAsync(http, db, definition, cancellationToken) is { } stale)
        {
            return stale;
        }

        if (definition.LatestVersion >= MaxVersions)
        {
            return TypedResults.Problem(title: "Too many versions",
                detail: $"Definition {id} has {MaxVersions} versions, the most one keeps; create a new definition for new rules.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var now = timeProvider.GetUtcNow();
        definition.Description = request.Description?.Trim() ?? definition.Description;
        definition.UpdatedAt = now;
        var version = await AddVersionAsync(db, definition, request.Rules!, request.Note, caller, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        ResourceVersions.Tag(http, definition);
        return TypedResults.Ok(ToResponse(definition, version));
    }

    /// <summary>Hides the definition; its versions stay, so the figures and reports that name them can be computed again.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDefinition(
        Guid id, HttpContext http, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await db.MetricDefinitions.SingleOrDefaultAsync(d => d.Id == id && d.DeletedAt == null, cancellationToken) is not { } definition)
        {
            return DefinitionNotFound(id);
        }

        if (await ResourceVersions.CheckIfMatchAsync(http, db, definition, cancellationToken) is { } stale)
        {
            return stale;
        }

        definition.DeletedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<MetricDefinitionVersion> AddVersionAsync(
        JiraExportDbContext db, MetricDefinition definition, FlowRulesRequest rules, string? note, ClaimsPrincipal caller, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var createdBy = await ExportFinishingRequest.DescribeRequesterAsync(caller, db, cancellationToken);
        var version = new MetricDefinitionVersion
        {
            TenantId = definition.TenantId,
            DefinitionId = definition.Id,
            Version = definition.LatestVersion + 1,
            Rules = AnalyticsValidation.ToDefinition(rules),
            Note = note,
            CreatedBy = createdBy is { Length: > 256 } ? createdBy[..256] : createdBy,
            CreatedAt = now,
        };
        db.MetricDefinitionVersions.Add(version);
        definition.LatestVersion = version.Version;
        return version;
    }

    private static readonly MetricDefinitionResponse BuiltInResponse = new(
        null, FlowDefinitions.BuiltInName, "Starts at the first move into an In Progress status, ends at the last move into a Done one; calendar days, end − start + 1.",
        FlowDefinitions.BuiltIn.Version, FlowDefinition.Default, null, null, null);

    private static MetricDefinitionResponse ToResponse(MetricDefinition d, MetricDefinitionVersion v) =>
        new(d.Id, d.Name, d.Description, v.Version, v.Rules, v.Note, v.CreatedBy, v.CreatedAt);

    private static ProblemHttpResult DefinitionNotFound(Guid id) => TypedResults.Problem(
        title: "Definition not found", detail: $"No flow definition {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound);
}
