using System.Net;
using JiraExport.Core.Domain;
using JiraExport.Core.Mail;

namespace JiraExport.Core.Reports;

/// <summary>The mail that delivers a scheduled report: what it is, when it ran, and the file attached or where to fetch it.</summary>
public static class ScheduledReportMails
{
    public static OutgoingMail Report(string to, ReportSchedule schedule, Export export, string download)
    {
        var subject = $"{export.Title ?? schedule.Name}: scheduled report";
        var where = schedule.AttachFile
            ? $"The report is attached ({export.FileName})."
            : $"Download it (signed in to JiraExport): GET {download}";
        var text = $"""
            The scheduled report "{schedule.Name}" ran at {export.CompletedAt:u} over {export.IssueCount} issues.

            {where}

            The file is kept until {export.ExpiresAt:u}.
            """;
        var html = $"""
            <p>The scheduled report <strong>{WebUtility.HtmlEncode(schedule.Name)}</strong> ran at {export.CompletedAt:u} over {export.IssueCount} issues.</p>
            <p>{WebUtility.HtmlEncode(where)}</p>
            <p>The file is kept until {export.ExpiresAt:u}.</p>
            """;
        return new OutgoingMail(to, subject, text, html);
    }
}
