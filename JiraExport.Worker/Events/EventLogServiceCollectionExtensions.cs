namespace JiraExport.Worker.Events;

public static class EventLogServiceCollectionExtensions
{
    /// <summary>The tenants' event log kept to its retention.</summary>
    public static IServiceCollection AddEventLogRetention(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EventLogOptions>()
            .BindConfiguration(EventLogOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<EventLogRetentionService>();
        return services;
    }
}
