using System.Security.Claims;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Idempotency;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Api.Quotas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// Scheduled reports: a template over a JQL at cron times in a time zone, delivered by mail and webhook, with each run's
/// history. The Worker starts the runs (<c>ReportScheduler</c>); <c>POST …/run</c> starts one now.
/// </summary>
public static class ReportSchedulesApi
{
    public const int MaxSchedules = 50;
    private const int RunsListed = 50;

    public static IEndpointRouteBuilder MapReportSchedulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("report-schedules").WithTags("Scheduled reports").RequireTenant();

        api.MapGet("/", ListSchedules)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("ListReportSchedules")
            .WithSummary("The tenant's scheduled reports");
        api.MapPost("/", CreateSchedule)
            .RequireAuthorization(Scopes.ExportsWrite)
            .Idempotent()
            .WithName("CreateReportSchedule")
            .WithSummary("Schedule a report: a template over a JQL at cron times, mailed and/or sent to webhooks");
        api.MapGet("/{id:guid}", GetSchedule)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("GetReportSchedule")
            .WithSummary("A scheduled report and when it runs next");
        api.MapPatch("/{id:guid}", UpdateSchedule)
            .RequireAuthorization(Scopes.ExportsWrite)
            .WithName("UpdateReportSchedule")
            .WithSummary("Change a schedule (only the fields sent), pause it or resume it");
        api.MapDelete("/{id:guid}", DeleteSchedule)
            .RequireAuthorization(Scopes.ExportsWrite)
            .WithName("DeleteReportSchedule")
            .WithSummary("Stop and delete a scheduled report and its run history (its files stay until they expire)");
        api.MapPost("/{id:guid}/run", RunNow)
            .RequireAuthorization(Scopes.ExportsWrite)
            .WithName("RunReportScheduleNow")
            .WithSummary("Run a scheduled report now, outside its times");
        api.MapGet("/{id:guid}/runs", ListRuns)
            .RequireAuthorization(Scopes.ExportsRead)
            .WithName("ListReportScheduleRuns")
            .WithSummary("The latest runs of a scheduled report, newest first, with each one's status");
        return app;
    }

    public static async Task<Ok<List<ReportScheduleResponse>>> ListSchedules(JiraExportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.ReportSchedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(ReportScheduleResponse.Of).ToList());

    public static async Task<Results<Created<ReportScheduleResponse>, ValidationProblem>> CreateSchedule(
        CreateReportScheduleRequest request, ClaimsPrincipal caller, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();
        if (await db.ReportSchedules.AnyAsync(s => s.Name == name, cancellationToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"A schedule named \"{name}\" exists already; choose another name."] });
        }

        if (await db.ReportSchedules.CountAsync(cancellationToken) >= MaxSchedules)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"A tenant keeps at most {MaxSchedules} schedules; delete one it no longer needs."] });
        }

        var timeZone = request.TimeZone ?? await db.TenantWorkCalendars.Select(c => c.TimeZone).SingleOrDefaultAsync(cancellationToken) ?? "UTC";
        var now = timeProvider.GetUtcNow();
        var schedule = new ReportSchedule
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId!.Value,
            Name = name,
            ConnectionId = request.ConnectionId!.Value,
            Template = request.Template ?? ExportValidation.DefaultTemplate,
            Jql = request.Jql!.Trim(),
            Title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim(),
            Cron = request.Cron!.Trim(),
            TimeZone = timeZone,
            Recipients = [.. (request.Recipients ?? []).Distinct(StringComparer.OrdinalIgnoreCase)],
            AttachFile = request.AttachFile,
            NotifyWebhooks = request.NotifyWebhooks,
            NextRunAt = now,
            CreatedBy = await ExportFinishingRequest.DescribeRequesterAsync(caller, db, cancellationToken),
            CreatedAt = now,
            UpdatedAt = now,
        };
        schedule.NextRunAt = ScheduledReports.NextRunAt(schedule, now);
        db.ReportSchedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/report-schedules/{schedule.Id}", ReportScheduleResponse.Of(schedule));
    }

    public static async Task<Results<Ok<ReportScheduleResponse>, ProblemHttpResult>> GetSchedule(Guid id, JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.ReportSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } schedule
            ? TypedResults.Ok(ReportScheduleResponse.Of(schedule))
            : NotFound(id);

    public static async Task<Results<Ok<ReportScheduleResponse>, ValidationProblem, ProblemHttpResult>> UpdateSchedule(
        Guid id, UpdateReportScheduleRequest request, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await db.ReportSchedules.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        // The schedule as it would be, checked as a new one is.
        var changed = new CreateReportScheduleRequest(
            request.Name ?? schedule.Name, schedule.ConnectionId, request.Template ?? schedule.Template, request.Jql ?? schedule.Jql,
            request.Title ?? schedule.Title, request.Cron ?? schedule.Cron, request.TimeZone ?? schedule.TimeZone, request.Recipients ?? schedule.Recipients,
            request.AttachFile ?? schedule.AttachFile, request.NotifyWebhooks ?? schedule.NotifyWebhooks);
        var errors = ReportScheduleValidation.Validate(changed);
        var name = changed.Name!.Trim();
        if (!errors.ContainsKey("name") && await db.ReportSchedules.AnyAsync(s => s.Name == name && s.Id != id, cancellationToken))
        {
            errors["name"] = [$"A schedule named \"{name}\" exists already; choose another name."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = timeProvider.GetUtcNow();
        var resumed = schedule.Paused && request.Paused == false;
        var retimed = changed.Cron!.Trim() != schedule.Cron || changed.TimeZone != schedule.TimeZone;
        schedule.Name = name;
        schedule.Template = changed.Template!;
        schedule.Jql = changed.Jql!.Trim();
        schedule.Title = string.IsNullOrWhiteSpace(changed.Title) ? null : changed.Title.Trim();
        schedule.Cron = changed.Cron.Trim();
        schedule.TimeZone = changed.TimeZone!;
        schedule.Recipients = [.. changed.Recipients!.Distinct(StringComparer.OrdinalIgnoreCase)];
        schedule.AttachFile = changed.AttachFile;
        schedule.NotifyWebhooks = changed.NotifyWebhooks;
        schedule.Paused = request.Paused ?? schedule.Paused;
        schedule.UpdatedAt = now;
        if (resumed || retimed)
        {
            // What a paused schedule missed is not made up in a burst.
            schedule.NextRunAt = ScheduledReports.NextRunAt(schedule, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ReportScheduleResponse.Of(schedule));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSchedule(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (await db.ReportSchedules.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        db.ReportSchedules.Remove(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Accepted<ReportScheduleRunResponse>, ProblemHttpResult>> RunNow(
        Guid id, JiraExportDbContext db, ScheduledReports reports, TenantQuotas quotas, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await db.ReportSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        // One run at a time by hand: a loop of calls must not turn the schedule's recipients into a mailing list.
        if (await db.ReportScheduleRuns.AnyAsync(r => r.ScheduleId == id && (r.Status == ReportRunStatus.Rendering || r.Status == ReportRunStatus.Delivering), cancellationToken))
        {
            return TypedResults.Problem(title: "A run is in progress",
                detail: $"Schedule {id} has a run still rendering or delivering; GET /api/v1/report-schedules/{id}/runs shows when it ends.",
                statusCode: StatusCodes.Status409Conflict);
        }

        if (await quotas.CheckNewExportAsync(cancellationToken) is { } overQuota)
        {
            return overQuota;
        }

        var run = await reports.StartAsync(schedule, timeProvider.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/report-schedules/{id}/runs", ReportScheduleRunResponse.Of(run));
    }

    public static async Task<Results<Ok<List<ReportScheduleRunResponse>>, ProblemHttpResult>> ListRuns(Guid id, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.ReportSchedules.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return NotFound(id);
        }

        var runs = await db.ReportScheduleRuns.AsNoTracking().Where(r => r.ScheduleId == id)
            .OrderByDescending(r => r.DueAt).ThenByDescending(r => r.Id).Take(RunsListed).ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(ReportScheduleRunResponse.Of).ToList());
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Schedule not found", detail: $"No report schedule {id} exists in this tenant.", statusCode: StatusCodes.Status404NotFound);
}
