namespace JiraExport.Worker.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Jira's webhook deliveries, stored by the Api as they arrived, applied from <c>jx.jira-webhooks</c>.</summary>
    public static IServiceCollection AddJiraWebhooks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<JiraWebhookProcessor>();
        services.AddHostedService<JiraWebhookConsumer>();
        services.AddOptions<DynamicWebhookOptions>()
            .BindConfiguration(DynamicWebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<DynamicWebhookRegistrar>();
        return services;
    }
}
