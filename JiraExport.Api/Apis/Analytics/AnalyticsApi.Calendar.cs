using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Api.Preconditions;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>The handlers of <c>analytics/calendar</c>: the tenant's time zone, weekend and holidays for flow metrics.</summary>
public static partial class AnalyticsApi
{
    public static async Task<Ok<WorkCalendarResponse>> GetCalendar(HttpContext http, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.TenantWorkCalendars.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (row is not null)
        {
            ResourceVersions.Tag(http, row);
        }

        return TypedResults.Ok(ToResponse(row));
    }

    public static async Task<Results<Ok<WorkCalendarResponse>, ProblemHttpResult>> PutCalendar(
        WorkCalendarRequest request, ClaimsPrincipal caller, HttpContext http, JiraExportDbContext db, SecurityEventLog securityEvents,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var row = await db.TenantWorkCalendars.SingleOrDefaultAsync(cancellationToken);
        if (await ResourceVersions.CheckIfMatchAsync(http, db, row, cancellationToken) is { } stale)
        {
            return stale;
        }

        if (row is null)
        {
            row = new TenantWorkCalendar { TenantId = db.TenantId!.Value, TimeZone = request.TimeZone! };
            db.TenantWorkCalendars.Add(row);
        }

        row.TimeZone = request.TimeZone!;
        row.Weekend = [.. AnalyticsValidation.ToWeekend(request.Weekend)];
        row.Holidays = [.. (request.Holidays ?? []).Distinct().Order()];
        row.UpdatedAt = timeProvider.GetUtcNow();
        securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(), detail: $"work calendar: {row.TimeZone}, {row.Holidays.Count} holidays");
        await db.SaveChangesAsync(cancellationToken);
        ResourceVersions.Tag(http, row);
        return TypedResults.Ok(ToResponse(row));
    }

    private static WorkCalendarResponse ToResponse(TenantWorkCalendar? row) => row is null
        ? new WorkCalendarResponse("UTC", ["saturday", "sunday"], [], 0, null)
        : new WorkCalendarResponse(row.TimeZone, [.. row.Weekend.Select(d => d.ToString().ToLowerInvariant())], row.Holidays, row.Version, row.UpdatedAt);
}
