using JiraExport.Core.Tenancy;
using Microsoft.Extensions.Configuration;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace JiraExport.Core.Persistence;

public static class PersistenceExtensions
{
    private static readonly AfterCommitInterceptor AfterCommit = new();

    /// <summary>Registers the DbContext on the application role's connection (subject to RLS), pooled.</summary>
    public static IHostApplicationBuilder AddJiraExportPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TenantTransactionInterceptor>();
        builder.Services.AddTenantDbContext((services, options) => options
            .UseNpgsql(builder.Configuration.GetConnectionString(ResourceNames.DatabaseAppRole))
            .AddInterceptors(services.GetRequiredService<TenantTransactionInterceptor>(), AfterCommit));
        // Work runs in explicit per-tenant transactions, which EF's retrying strategy cannot replay; retries happen per job.
        builder.EnrichNpgsqlDbContext<JiraExportDbContext>(settings => settings.DisableRetry = true);

        // Analytics may read the synced data from a standby that has caught up with the tenant's last change.
        builder.Services.AddOptions<StandbyOptions>().BindConfiguration(StandbyOptions.Section);
        builder.Services.AddSingleton(services => new StandbyDatabase(
            builder.Configuration.GetConnectionString(ResourceNames.DatabaseReads), services.GetRequiredService<TenantTransactionInterceptor>()));
        builder.Services.AddSingleton<ReplicationWatermarks>().AddSingleton<StandbyReadMetrics>().AddScoped<StandbyReads>();

        // The key ring lives in PostgreSQL: Redis may evict it, local disk dies with the pod.
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("JiraExport")
            .PersistKeysToDbContext<JiraExportDbContext>();
        // Encrypted at rest with a certificate the database never sees, so a dump of it decrypts no secret.
        if (builder.Configuration[KeyRingCertificate.ConfigurationKey] is { Length: > 0 } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(KeyRingCertificate.Load(certificate));
            builder.Services.AddHostedService<KeyRingEncryption>();
        }
        else if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{KeyRingCertificate.ConfigurationKey} is missing: every service needs the certificate (base64 PKCS#12) that encrypts " +
                "the key ring at rest. The AppHost passes its secret parameter '" + KeyRingCertificate.ParameterName + "'; " +
                "'JiraExport.Worker new-key-ring-certificate' prints a new one.");
        }

        return builder;
    }

    /// <summary>
    /// The DbContext from a pool (built once, rented per scope): each scope's context is handed that scope's
    /// <see cref="TenantContext"/>, and forgets it when returned. A context rented straight from the factory has no tenant:
    /// row-level security and the query filters then show it nothing.
    /// </summary>
    public static IServiceCollection AddTenantDbContext(this IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure)
    {
        services.TryAddScoped<TenantContext>();
        services.AddPooledDbContextFactory<JiraExportDbContext>(configure);
        services.AddScoped(scope => scope.GetRequiredService<IDbContextFactory<JiraExportDbContext>>().CreateDbContext()
            .ActFor(scope.GetRequiredService<TenantContext>()));
        return services;
    }
}
