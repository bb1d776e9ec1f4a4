using JiraExport.Core.Finishing;

namespace JiraExport.Worker.Finishing;

public static class FinishingServiceCollectionExtensions
{
    /// <summary>Registers PDF finishing: the stateless <see cref="PdfFinisher"/> and the per-job <see cref="FinishedPdfRenderer"/>.</summary>
    public static IServiceCollection AddPdfFinishing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<FinishingSecrets>();
        services.AddSingleton<PdfFinisher>();
        services.AddScoped<FinishedPdfRenderer>();
        return services;
    }
}
