namespace JiraExport.Worker.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>The gauges of queue depth, outbox backlog and sync lag, and the service that reads them.</summary>
    public static IServiceCollection AddOperationsMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OperationsMetricsOptions>()
            .BindConfiguration(OperationsMetricsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OperationsMetrics>();
        services.AddHostedService<OperationsMetricsService>();
        return services;
    }
}
