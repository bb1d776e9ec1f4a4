using JiraExport.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Core.Messaging;

public static class MessagingExtensions
{
    /// <summary>RabbitMQ connection (Aspire), options, and the topology declared before anything consumes.</summary>
    public static IHostApplicationBuilder AddJiraExportMessaging(this IHostApplicationBuilder builder)
    {
        builder.AddRabbitMQClient(ResourceNames.Messaging);
        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .PostConfigure(options => options.RetryDelays = options.RetryDelays is [] ? MessagingOptions.DefaultRetryDelays : options.RetryDelays)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RabbitMqPublisher>();
        builder.Services.AddHostedService<MessagingTopologyInitializer>();
        return builder;
    }

    private sealed class MessagingTopologyInitializer(IConnection connection, IOptions<MessagingOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await MessagingTopology.DeclareAsync(channel, options.Value, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
