using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Realtime.Dashboards;
using JiraExport.Realtime.EventHandling;
using JiraExport.Realtime.Presence;
using JiraExport.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace JiraExport.Realtime.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJiraExportPersistence();
        builder.AddJiraExportMessaging(MessagingTopology.DeclareRealtimeAsync);

        // Access tokens are verified with the Api's published keys (Auth:MetadataAddress), never a shared secret.
        builder.AddJiraExportAuthentication();

        // The Redis backplane lets any instance reach a client connected to any other instance. It has a connection of its
        // own, untraced: it unsubscribes while the host is disposed, and through the traced shared connection that ran into
        // an instrumentation disposed before it, which aborted every graceful stop (exit code 134). Presence and the
        // health check use the Aspire-registered one.
        var settings = builder.Configuration.GetSection(RealtimeOptions.SectionName).Get<RealtimeOptions>() ?? new();
        builder.AddRedisClient(ResourceNames.Redis, configureOptions: options => options.ChannelPrefix = RedisChannel.Literal(settings.RedisChannelPrefix));
        builder.Services.AddSignalR().AddStackExchangeRedis(
            builder.Configuration.GetConnectionString(ResourceNames.Redis) ?? throw new InvalidOperationException("ConnectionStrings:redis is not set."),
            options =>
            {
                options.Configuration.ChannelPrefix = RedisChannel.Literal(settings.RedisChannelPrefix);
                // As the shared connection: a Redis that is down at start is retried in the background, not fatal.
                options.Configuration.AbortOnConnectFail = false;
            });

        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(settings.AllowedOrigins)
            .WithMethods("GET", "POST")
            .AllowAnyHeader()));
        builder.Services.AddOptions<RealtimeOptions>()
            .BindConfiguration(RealtimeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PresenceStore>();
        builder.Services.AddSingleton<DashboardWatchers>();
        builder.Services.AddScoped<DashboardCounterReader>();
        builder.Services.AddHostedService<DashboardPublisher>();
        builder.Services.AddSingleton<EventRouting>();
        builder.Services.AddHostedService<DomainEventConsumer>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Hubs.OpenConnections>();
        builder.Services.AddHostedService<Hubs.ConnectionRevalidator>();
    }

    public static void UseRealtimeMiddleware(this WebApplication app)
    {
        app.UseCors();
        app.UseAuthentication();
        app.UseTenantFromPrincipal();
        app.UseAuthorization();
    }
}
