using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Realtime.EventHandling;
using JiraExport.ServiceDefaults;
using StackExchange.Redis;

namespace JiraExport.Realtime.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJiraExportPersistence();
        builder.AddJiraExportMessaging(MessagingTopology.DeclareRealtimeAsync);

        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddAuthorization();

        // The Redis backplane lets any instance reach a client connected to any other instance.
        var redis = builder.Configuration.GetConnectionString(ResourceNames.Redis)
            ?? throw new InvalidOperationException($"The connection string '{ResourceNames.Redis}' is missing.");
        var channelPrefix = builder.Configuration["Realtime:RedisChannelPrefix"] ?? "jx";
        builder.Services.AddSignalR()
            .AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = RedisChannel.Literal(channelPrefix));

        builder.Services.AddHostedService<ExportEventConsumer>();
    }

    public static void UseRealtimeMiddleware(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseTenantFromPrincipal();
        app.UseAuthorization();
    }
}
