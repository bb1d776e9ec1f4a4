namespace JiraExport.Worker.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// The messaging tables (outbox, inbox), and each tenant's deliveries, security events and usage, kept to their
    /// retention; the event log's and audit trail's coming months partitioned.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MessageRetentionOptions>()
            .BindConfiguration(MessageRetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<MessageRetentionService>();
        services.AddOptions<DataRetentionOptions>()
            .BindConfiguration(DataRetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<DataRetentionService>();
        services.AddOptions<MonthlyPartitionOptions>()
            .BindConfiguration(MonthlyPartitionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<MonthlyPartitionService>();
        return services;
    }
}
