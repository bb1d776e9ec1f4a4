namespace JiraExport.Worker.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The messaging tables (outbox, inbox) kept to their retention.</summary>
    public static IServiceCollection AddMessageRetention(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MessageRetentionOptions>()
            .BindConfiguration(MessageRetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<MessageRetentionService>();
        return services;
    }
}
