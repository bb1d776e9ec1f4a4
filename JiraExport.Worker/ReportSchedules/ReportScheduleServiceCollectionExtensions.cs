using JiraExport.Core.Mail;
using JiraExport.Core.Reports;

namespace JiraExport.Worker.ReportSchedules;

public static class ReportScheduleServiceCollectionExtensions
{
    /// <summary>Scheduled reports: the scheduler that starts the due runs, and what delivers them when their exports finish.</summary>
    public static IServiceCollection AddReportSchedules(this IServiceCollection services)
    {
        services.AddOptions<ScheduledReportOptions>().BindConfiguration(ScheduledReportOptions.SectionName);
        services.AddScoped<MailOutbox>();
        services.AddScoped<ScheduledReports>();
        services.AddHostedService<ReportScheduler>();
        return services;
    }
}
