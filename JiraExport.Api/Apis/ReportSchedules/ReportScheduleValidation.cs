using System.Net.Mail;
using Cronos;
using JiraExport.Api.Contracts;
using JiraExport.Api.Validation;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Core.Sync;

namespace JiraExport.Api.Apis;

internal static class ReportScheduleValidation
{
    public static Dictionary<string, string[]> Validate(CreateReportScheduleRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not { Length: > 0 and <= 100 } || string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["A name of 1 to 100 characters, e.g. \"Weekly stakeholder pack\"."];
        }

        if (request.ConnectionId is null)
        {
            errors["connectionId"] = ["The connection whose issues the report shows."];
        }

        if (request.Jql is not { Length: > 0 and <= 4000 } || string.IsNullOrWhiteSpace(request.Jql))
        {
            errors["jql"] = ["The JQL of the issues the report shows (at most 4,000 characters)."];
        }

        if (request.Title is { Length: > 300 })
        {
            errors["title"] = ["A title is at most 300 characters."];
        }

        if (!SyncCron.TryParse(request.Cron, out var cron, out var cronError))
        {
            errors["cron"] = [cronError!];
        }
        else if (TooOften(cron!))
        {
            errors["cron"] = [$"Runs are at least {ReportSchedule.MinInterval.TotalMinutes:0} minutes apart, e.g. \"0 8 * * MON\" for Monday at 08:00."];
        }

        if (request.TimeZone is { } zone && (zone.Length > 100 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
        {
            errors["timeZone"] = [$"'{zone}' is not an IANA time zone, e.g. Europe/Berlin."];
        }

        var recipients = request.Recipients ?? [];
        if (recipients.Count > ReportSchedule.MaxRecipients || recipients.Any(r => r is not { Length: <= 254 } || !MailAddress.TryCreate(r, out var address) || address.Address != r))
        {
            errors["recipients"] = [$"At most {ReportSchedule.MaxRecipients} plain email addresses, such as \"cto@example.com\"."];
        }
        else if (recipients.Count == 0 && !request.NotifyWebhooks)
        {
            errors["recipients"] = ["Name a recipient, or set notifyWebhooks, or the report goes nowhere."];
        }

        return errors;
    }

    /// <summary>
    /// Whether two of the first 50,000 occurrences within four years (leap days included) come closer than <see cref="ReportSchedule.MinInterval"/>.
    /// The scheduler never runs a schedule sooner than that anyway; this tells the person who wrote the cron.
    /// </summary>
    private static bool TooOften(CronExpression cron)
    {
        var from = new DateTime(2028, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        DateTime? previous = null;
        foreach (var at in cron.GetOccurrences(from, from.AddYears(4)).Take(50_000))
        {
            if (at - previous < ReportSchedule.MinInterval)
            {
                return true;
            }

            previous = at;
        }

        return false;
    }
}

/// <summary>What <c>POST /report-schedules</c> checks in the tenant's store: the connection and the template.</summary>
internal sealed class ReportScheduleRequestValidator(JiraExportDbContext db) : IRequestValidator<CreateReportScheduleRequest>
{
    public async Task<RequestErrors> ValidateAsync(CreateReportScheduleRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        await ExportConnections.CheckAsync(db, request.ConnectionId, errors, cancellationToken);
        await ExportTemplates.ResolveAsync(db, request.Template ?? ExportValidation.DefaultTemplate, null, errors, cancellationToken);
        return errors;
    }
}
