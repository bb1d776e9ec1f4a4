using JiraExport.Core.Tenancy;
using Microsoft.Extensions.Configuration;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JiraExport.Core.Persistence;

public static class PersistenceExtensions
{
    private static readonly AfterCommitInterceptor AfterCommit = new();

    /// <summary>
    /// Registers the DbContext on the application role's connection (subject to RLS). No DbContext pooling:
    /// each context carries the scope's <see cref="TenantContext"/>.
    /// </summary>
    public static IHostApplicationBuilder AddJiraExportPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddSingleton<TenantTransactionInterceptor>();
        builder.Services.AddDbContext<JiraExportDbContext>((services, options) => options
            .UseNpgsql(builder.Configuration.GetConnectionString(ResourceNames.DatabaseAppRole))
            .AddInterceptors(services.GetRequiredService<TenantTransactionInterceptor>(), AfterCommit));
        // Work runs in explicit per-tenant transactions, which EF's retrying strategy cannot replay; retries happen per job.
        builder.EnrichNpgsqlDbContext<JiraExportDbContext>(settings => settings.DisableRetry = true);

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
}
