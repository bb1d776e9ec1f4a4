using JiraExport.Core.Sync;

namespace JiraExport.Worker.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>The sync pipeline: runs from <c>jx.sync</c>, each with a lease and a checkpoint, and the cron that queues them.</summary>
    public static IServiceCollection AddSync(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SyncOptions>()
            .BindConfiguration(SyncOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WorkerIdentity>();
        services.AddScoped<SyncStore>();
        services.AddMemoryCache();
        services.AddScoped<JiraIssueReader>();
        services.AddScoped<SyncRunner>();
        services.AddScoped<SyncJobQueue>();
        services.AddHostedService<SyncJobConsumer>();
        services.AddHostedService<SyncScheduler>();
        return services;
    }
}
