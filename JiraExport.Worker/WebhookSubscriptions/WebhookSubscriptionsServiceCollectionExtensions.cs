using JiraExport.Core.Jira;
using Microsoft.Extensions.Options;

namespace JiraExport.Worker.WebhookSubscriptions;

public static class WebhookSubscriptionsServiceCollectionExtensions
{
    /// <summary>Tenants' webhooks out: the sender of what events queued, through a client that reaches public addresses only.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WebhookDeliveryOptions>()
            .BindConfiguration(WebhookDeliveryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart()
            .PostConfigure(options => options.RetryDelays = options.RetryDelays is [] ? WebhookDeliveryOptions.DefaultRetryDelays : options.RetryDelays);
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to replace the defaults.
        services.AddHttpClient(WebhookPoster.HttpClientName)
            // Retries follow the delivery's own schedule, over hours; the timeout is the poster's.
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static services => JiraNetworkGuard.CreateHandler(
                services.GetRequiredService<IOptions<WebhookDeliveryOptions>>().Value.AllowPrivateNetworks));
        services.AddScoped<WebhookPoster>();
        services.AddHostedService<WebhookSender>();
        return services;
    }
}
