namespace JiraExport.Worker.Exports.Chromium;

public static class ChromiumServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Chromium PDF renderer (a singleton: the browser and its page pool are shared) with
    /// <see cref="ChromiumOptions"/> bound from "Chromium".
    /// </summary>
    public static IServiceCollection AddChromiumPrinting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ChromiumOptions>()
            .BindConfiguration(ChromiumOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ChromiumPdfRenderer>();
        return services;
    }
}
