using JiraExport.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Core.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// RabbitMQ connection (Aspire), options, and the part of the topology this service uses, declared before
    /// anything consumes or publishes.
    /// </summary>
    public static IHostApplicationBuilder AddJiraExportMessaging(
        this IHostApplicationBuilder builder, Func<IChannel, MessagingOptions, CancellationToken, Task> declareTopology)
    {
        builder.AddRabbitMQClient(ResourceNames.Messaging);
        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .PostConfigure(options => options.RetryDelays = options.RetryDelays is [] ? MessagingOptions.DefaultRetryDelays : options.RetryDelays)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RabbitMqPublisher>();
        builder.Services.AddHostedService(services => new MessagingTopologyInitializer(
            services.GetRequiredService<IConnection>(), services.GetRequiredService<IOptions<MessagingOptions>>(), declareTopology));
        return builder;
    }

    private sealed class MessagingTopologyInitializer(
        IConnection connection, IOptions<MessagingOptions> options, Func<IChannel, MessagingOptions, CancellationToken, Task> declareTopology)
        : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await declareTopology(channel, options.Value, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
