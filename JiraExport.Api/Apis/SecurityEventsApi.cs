using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static class SecurityEventsApi
{
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapSecurityEventsApiV1(this IEndpointRouteBuilder app)
    {
        app.MapGroup("security-events").WithTags("Security").RequireTenant()
            .MapGet("/", ListSecurityEvents)
            .RequireAuthorization(Scopes.TenantAdmin)
            .WithName("ListSecurityEvents")
            .WithSummary("The tenant's security events, newest first; page with the cursor");
        return app;
    }

    public static async Task<Results<Ok<SecurityEventPage>, ValidationProblem>> ListSecurityEvents(
        JiraExportDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = PageCursor.ReadPage(limit, cursor, defaultSize: 50, maxSize: MaxLimit, errors);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.SecurityEvents.AsNoTracking();
        if (after is { } c)
        {
            query = query.Where(e => e.OccurredAt < c.At || (e.OccurredAt == c.At && e.Id.CompareTo(c.Id) < 0));
        }

        var page = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(pageSize + 1)
            .Select(e => new SecurityEventResponse(e.Id, e.OccurredAt, e.Type, e.UserId, e.SessionId, e.IpAddress, e.Detail))
            .ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? new PageCursor(page[pageSize - 1].OccurredAt, page[pageSize - 1].Id).ToString() : null;
        return TypedResults.Ok(new SecurityEventPage([.. page.Take(pageSize)], next));
    }
}
