using JiraExport.Core.Caching;
using JiraExport.Core.Jira;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.Core.Webhooks;
using JiraExport.ServiceDefaults;
using JiraExport.Worker.Connections;
using JiraExport.Worker.Events;
using JiraExport.Worker.Exports;
using JiraExport.Worker.Operations;
using JiraExport.Worker.ReportSchedules;
using JiraExport.Worker.Retention;
using JiraExport.Worker.Sync;
using JiraExport.Worker.Tenancy;
using JiraExport.Worker.WebhookSubscriptions;
using JiraExport.Worker.Webhooks;

namespace JiraExport.Worker.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJiraExportPersistence();
        builder.AddJiraExportMessaging(MessagingTopology.DeclareWorkerQueuesAsync);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddScoped<DomainEventWriter>();
        builder.Services.AddScoped<WebhookFanOut>();
        builder.Services.AddSingleton<EventRouting>();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddScoped<ExportEventWriter>();
        builder.Services.AddScoped<UsageRecorder>();
        builder.Services.AddJiraClient();
        builder.Services.AddSingleton<JiraCredentialProtector>();
        builder.Services.AddScoped<ConnectionHealthChecker>();
        builder.Services.AddExports();
        builder.Services.AddSync();
        builder.Services.AddReportSchedules();
        builder.Services.AddJiraWebhooks();
        builder.Services.AddEventLogRetention();
        builder.Services.AddRetention();
        builder.Services.AddOperationsMetrics();
        // Domain events evict the Api's cached reads they make stale, from the Redis store the Api instances share.
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddReadCacheStore();
        // A dynamic webhook registered anew is forgotten by the Api instances' caches of webhook targets.
        builder.AddJiraExportCache();
        builder.Services.AddSingleton<JiraWebhookSecrets>();
        builder.Services.AddSingleton<JiraWebhookTargets>();
        builder.Services.AddWebhookDelivery();

        builder.Services.AddOptions<ConnectionHealthOptions>()
            .BindConfiguration(ConnectionHealthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<ConnectionHealthMonitor>();
        builder.Services.AddHostedService<OutboxRelay>();

        builder.AddMailSending();

        builder.Services.AddOptions<TenantPurgeOptions>()
            .BindConfiguration(TenantPurgeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<TenantPurgeService>();
    }

    /// <summary>
    /// Mail goes out through <c>ConnectionStrings:mail</c>. Without it (benchmarks start a Worker without mail) mails wait
    /// in their queue, and the Worker says so at start.
    /// </summary>
    private static void AddMailSending(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Mail.MailOptions>()
            .BindConfiguration(Mail.MailOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (builder.Configuration.GetConnectionString(ResourceNames.Mail) is not { Length: > 0 } server)
        {
            builder.Services.AddHostedService<Mail.MailUnconfiguredNotice>();
            return;
        }

        builder.Services.AddSingleton(services => new Mail.SmtpMailSender(new Uri(server), services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Mail.MailOptions>>()));
        builder.Services.AddHostedService<Mail.MailConsumer>();
    }

    /// <summary>The schema, then the secrets stored before they were bound to their tenant (which needs the key ring).</summary>
    public static async Task RunMigrationsAsync(this WebApplicationBuilder builder)
    {
        builder.AddJiraExportPersistence();
        using var host = builder.Build();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        var owner = configuration.GetConnectionString(ResourceNames.Database) ?? throw MissingConnectionString(ResourceNames.Database);
        await ActivatorUtilities.CreateInstance<DatabaseMigrator>(host.Services).MigrateAsync(
            owner,
            configuration.GetConnectionString(ResourceNames.DatabaseAppRole) ?? throw MissingConnectionString(ResourceNames.DatabaseAppRole),
            CancellationToken.None);
        await ActivatorUtilities.CreateInstance<TenantSecretRebinding>(host.Services).RebindAsync(owner, CancellationToken.None);
    }

    private static InvalidOperationException MissingConnectionString(string name) =>
        new($"The connection string '{name}' is missing; set ConnectionStrings__{name}.");
}
