using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Extensions;
using JiraExport.Api.OpenApi;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static class SecurityEventsApi
{
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapSecurityEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("security-events").WithTags("Security").RequireTenant().RequireAuthorization(Scopes.TenantAdmin);
        api.MapGet("/", ListSecurityEvents)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListSecurityEvents")
            .WithSummary("The tenant's security events, newest first; page with the cursor");
        api.MapGet("/", ListSecurityEventsV2)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListSecurityEvents")
            .WithSummary("The tenant's security events, newest first; page with the cursor");
        return app;
    }

    public static Task<Results<Ok<SecurityEventPage>, ValidationProblem>> ListSecurityEvents(
        JiraExportDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = PageCursor.ReadPage(limit, cursor, defaultSize: 50, maxSize: MaxLimit, errors);
        return ReadSecurityEventsAsync(db, pageSize, after, errors, (items, next) => new SecurityEventPage(items, next), cancellationToken);
    }

    public static Task<Results<Ok<ListPage<SecurityEventResponse>>, ValidationProblem>> ListSecurityEventsV2(
        HttpRequest request, JiraExportDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        // An event has no address of its own: the log is read as a list only.
        return ReadSecurityEventsAsync(db, pageSize, after, errors, (items, next) => ListPages.Create(request, items, next, _ => null), cancellationToken);
    }

    private static async Task<Results<Ok<TPage>, ValidationProblem>> ReadSecurityEventsAsync<TPage>(
        JiraExportDbContext db, int pageSize, PageCursor? after, Dictionary<string, string[]> errors,
        Func<IReadOnlyList<SecurityEventResponse>, string?, TPage> toPage, CancellationToken cancellationToken)
    {
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (page, next) = await db.SecurityEvents.AsNoTracking()
            .NewestFirstAsync(e => e.OccurredAt, e => e.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(toPage([.. page.Select(e => new SecurityEventResponse(e.Id, e.OccurredAt, e.Type, e.UserId, e.SessionId, e.IpAddress, e.Detail))], next));
    }
}
