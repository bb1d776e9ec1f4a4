using JiraExport.Core.Caching;
using JiraExport.Api.Caching;
using System.Text.Json;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Extensions;
using JiraExport.Api.Features;
using JiraExport.Api.OpenApi;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The synced store, read without calling Jira.</summary>
public static class IssuesApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapIssuesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("issues").WithTags("Issues").RequireTenant().RequireAuthorization(Scopes.ExportsRead)
            .CachesReads(ReadCacheTags.Issues);
        api.MapGet("/", ListIssues)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListIssues")
            .WithSummary("List a connection's synced issues, oldest change first, with cursor paging");
        api.MapGet("/", SearchIssues)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListIssues")
            .WithSummary("Search a connection's synced issues, oldest change first, with the Jira fields asked for");
        api.MapGet("/{key}", GetIssue)
            .WithName("GetIssue")
            .WithSummary("Get one synced issue with its fields, status transitions and changelog");
        return app;
    }

    public static Task<Results<Ok<SyncedIssuePageResponse>, ValidationProblem, ProblemHttpResult>> ListIssues(
        Guid? connectionId, string? project, string? status, DateTimeOffset? updatedSince, string? cursor, int? limit,
        JiraExportDbContext db, CancellationToken cancellationToken) =>
        ReadIssuesAsync(db, new IssueSearchQuery(connectionId, project, status, updatedSince, cursor, limit, Fields: null), MaxPageSize,
            (rows, next) => new SyncedIssuePageResponse([.. rows.Select(ToResponse)], next), cancellationToken);

    public static async Task<Results<Ok<ListPage<IssueSearchResponse>>, ValidationProblem, ProblemHttpResult>> SearchIssues(
        [AsParameters] IssueSearchQuery search, HttpRequest request, JiraExportDbContext db, TenantFeatures features, CancellationToken cancellationToken)
    {
        var fields = IssueFieldSelection.Parse(search.Fields);
        // Field selection is rolled out by a feature flag (asked only of a valid selection); a search without it is what
        // every caller has.
        if (fields.Any && IssueFieldSelection.IsValid(search.Fields) && await features.VariantOfAsync(FeatureFlags.IssueFieldSelection, request.HttpContext.User, cancellationToken) != FeatureFlags.On)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["fields"] = ["Field selection is not available to this tenant yet; search without fields, or ask your administrator."],
            });
        }

        return await ReadIssuesAsync(db, search, ListPages.MaxLimit, (rows, next) => ListPages.Create(
                request, [.. rows.Select(i => new IssueSearchResponse(ToResponse(i), fields.Select(i.Fields)))], next,
                i => ListPages.V2($"/issues/{Uri.EscapeDataString(i.Key)}?connectionId={i.ConnectionId}")),
            cancellationToken);
    }

    private static async Task<Results<Ok<TPage>, ValidationProblem, ProblemHttpResult>> ReadIssuesAsync<TPage>(
        JiraExportDbContext db, IssueSearchQuery search, int maxPageSize, Func<List<SyncedIssue>, string?, TPage> toPage,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (search.ConnectionId is not { } connectionId)
        {
            errors["connectionId"] = ["Name the connection whose issues to list (issue keys repeat across Jira sites)."];
            connectionId = Guid.Empty;
        }

        var pageSize = search.Limit ?? DefaultPageSize;
        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors["limit"] = [$"Limit must be between 1 and {maxPageSize}."];
        }

        IssueCursor? after = null;
        if (search.Cursor is not null && !IssueCursor.TryParse(search.Cursor, out after))
        {
            errors["cursor"] = ["The cursor is not one this API handed out; start again without it."];
        }

        IssueFieldSelection.Check(search.Fields, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.JiraConnections.AnyAsync(c => c.Id == connectionId, cancellationToken))
        {
            return ConnectionsApi.NotFoundProblem(connectionId);
        }

        var query = db.SyncedIssues.AsNoTracking().Where(i => i.ConnectionId == connectionId);
        if (!string.IsNullOrWhiteSpace(search.Project))
        {
            var projectKey = search.Project.Trim().ToUpperInvariant();
            query = query.Where(i => i.ProjectKey == projectKey);
        }

        if (!string.IsNullOrWhiteSpace(search.Status))
        {
            // A status by name or id: names are what people type, ids what survives a rename.
            var wanted = search.Status.Trim();
            query = query.Where(i => i.StatusId == wanted || (i.StatusName != null && i.StatusName.ToLower() == wanted.ToLower()));
        }

        if (search.UpdatedSince is { } since)
        {
            query = query.Where(i => i.Updated >= since);
        }

        if (after is { } c)
        {
            query = query.Where(i => i.Updated > c.Updated || (i.Updated == c.Updated && i.IssueId > c.IssueId));
        }

        var page = await query.OrderBy(i => i.Updated).ThenBy(i => i.IssueId).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? new IssueCursor(page[pageSize - 1].Updated, page[pageSize - 1].IssueId).ToString() : null;
        return TypedResults.Ok(toPage(page.Take(pageSize).ToList(), next));
    }

    public static async Task<Results<Ok<SyncedIssueDetailResponse>, ProblemHttpResult>> GetIssue(
        string key, Guid? connectionId, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var wanted = key.Trim().ToUpperInvariant();
        var matches = await db.SyncedIssues.AsNoTracking()
            .Where(i => i.Key == wanted && (connectionId == null || i.ConnectionId == connectionId))
            .Take(2)
            .ToListAsync(cancellationToken);
        if (matches.Count == 0)
        {
            return TypedResults.Problem(title: "Issue not found",
                detail: $"No synced issue {wanted} exists{(connectionId is null ? string.Empty : $" in connection {connectionId}")}. Sync the connection, or check the key.",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (matches.Count > 1)
        {
            return TypedResults.Problem(title: "Issue key is ambiguous",
                detail: $"{wanted} exists in several connections; name one with ?connectionId=.", statusCode: StatusCodes.Status400BadRequest);
        }

        var issue = matches[0];
        var transitions = await db.IssueStatusTransitions.AsNoTracking()
            .Where(t => t.ConnectionId == issue.ConnectionId && t.IssueId == issue.IssueId)
            .OrderBy(t => t.At).ThenBy(t => t.HistoryId)
            .Select(t => new StatusTransitionResponse(t.HistoryId, t.At, t.FromStatusId, t.FromStatus, t.ToStatusId, t.ToStatus, t.AuthorAccountId, t.AuthorName))
            .ToListAsync(cancellationToken);
        var comments = await db.IssueComments.AsNoTracking()
            .Where(c => c.ConnectionId == issue.ConnectionId && c.IssueId == issue.IssueId)
            .OrderBy(c => c.Created).ThenBy(c => c.CommentId)
            .Select(c => new IssueCommentResponse(c.CommentId, c.AuthorAccountId, c.AuthorName, c.Created, c.Updated, c.BodyHtml, c.BodyText))
            .ToListAsync(cancellationToken);
        var worklogs = await db.IssueWorklogs.AsNoTracking()
            .Where(w => w.ConnectionId == issue.ConnectionId && w.IssueId == issue.IssueId)
            .OrderBy(w => w.Started).ThenBy(w => w.WorklogId)
            .Select(w => new IssueWorklogResponse(w.WorklogId, w.AuthorAccountId, w.AuthorName, w.Started, w.TimeSpentSeconds, w.CommentText))
            .ToListAsync(cancellationToken);
        var sprints = await db.SprintIssues.AsNoTracking()
            .Where(m => m.ConnectionId == issue.ConnectionId && m.IssueId == issue.IssueId)
            .Join(db.SyncedSprints, m => new { m.ConnectionId, m.SprintId }, s => new { s.ConnectionId, s.SprintId }, (_, s) => s)
            .OrderBy(s => s.StartDate == null).ThenBy(s => s.StartDate).ThenBy(s => s.SprintId)
            .Select(s => new IssueSprintResponse(s.SprintId, s.BoardId, s.Name, s.State, s.StartDate, s.EndDate, s.CompleteDate, s.Goal))
            .ToListAsync(cancellationToken);
        var links = await db.IssueLinks.AsNoTracking()
            .Where(l => l.ConnectionId == issue.ConnectionId && l.IssueId == issue.IssueId)
            .OrderBy(l => l.LinkId)
            .Select(l => new IssueLinkResponse(l.LinkId, l.LinkType, l.Relation, l.OtherIssueId, l.OtherKey))
            .ToListAsync(cancellationToken);
        using var fields = JsonDocument.Parse(issue.Fields);
        using var changelog = JsonDocument.Parse(issue.Changelog);
        return TypedResults.Ok(new SyncedIssueDetailResponse(
            ToResponse(issue), issue.DescriptionHtml, issue.DescriptionText, fields.RootElement.Clone(), transitions, comments, worklogs, sprints,
            links, changelog.RootElement.Clone(), issue.SyncedAt));
    }

    private static SyncedIssueResponse ToResponse(SyncedIssue i) => new(
        i.ConnectionId, i.IssueId, i.Key, i.ProjectKey, i.Summary, i.IssueType, i.StatusName, i.StatusCategory, i.Priority,
        i.AssigneeAccountId, i.AssigneeName, i.Created, i.Updated);
}
