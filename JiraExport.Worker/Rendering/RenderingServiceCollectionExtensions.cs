using JiraExport.Core.Reports;
using JiraExport.Worker.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Worker.Rendering;

public static class RenderingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the issue-list HTML template and the Chromium PDF renderer (both singletons: the template is
    /// parsed once and the browser is shared), with <see cref="ChromiumOptions"/> bound from "Chromium".
    /// </summary>
    public static IServiceCollection AddReportRendering(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<ChromiumOptions>()
            .BindConfiguration(ChromiumOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<ReportTemplateRenderer>();
        services.AddSingleton<ChromiumPdfRenderer>();
        services.AddSingleton(new ReportTemplateEngine());
        services.AddScoped<ReportTemplateLoader>();
        services.AddScoped<ReportModelReader>();
        services.AddScoped<ReportDocumentRenderer>();
        return services;
    }
}
