using JiraExport.Core.Analytics;
using JiraExport.Core.Finishing;
using JiraExport.Core.Reports;
using JiraExport.Core.Storage;
using JiraExport.Worker.Exports.Bulk;
using JiraExport.Worker.Exports.Chromium;
using JiraExport.Worker.Exports.IssueLists;
using JiraExport.Worker.Exports.Pdf;
using JiraExport.Worker.Exports.Reports;

namespace JiraExport.Worker.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>
    /// The export pipeline: jobs from <c>jx.exports</c> and <c>jx.bulk</c>, reports (Liquid, then Chromium, then PDF
    /// finishing), issue lists (CSV, XLSX, JSON), the artifact store and the retention of expired files.
    /// </summary>
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddChromiumPrinting();
        services.AddSingleton(new ReportTemplateEngine());
        services.AddScoped<ReportTemplateLoader>();
        services.AddScoped<ReportModelReader>().AddScoped<ReportFlowReader>().AddFlowAnalytics();
        services.AddScoped<ReportDocumentRenderer>();
        services.AddSingleton<FinishingSecrets>();
        services.AddSingleton<PdfFinisher>();
        services.AddSingleton<ReportPrinter>();
        services.AddScoped<FinishedPdfRenderer>();

        services.AddExportArtifactStore();
        services.AddScoped<StorageQuota>();
        services.AddScoped<IssueFieldResolver>();
        services.AddScoped<IssueRowReader>();
        services.AddScoped<IssueListExporter>();
        services.AddOptions<ExportRetentionOptions>()
            .BindConfiguration(ExportRetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<ExportRetentionService>();

        services.AddSingleton<ExportMetrics>();
        services.AddScoped<ExportJobHandler>();
        services.AddHostedService<ExportJobConsumer>();

        services.AddScoped<BulkParentUpdates>();
        services.AddScoped<BulkPlanner>();
        services.AddScoped<BulkProgress>();
        services.AddScoped<BulkPackager>();
        services.AddHostedService<BulkJobConsumer>();
        return services;
    }
}
