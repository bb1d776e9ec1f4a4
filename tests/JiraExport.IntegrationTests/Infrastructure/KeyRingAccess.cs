using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>The system's key ring read straight from its database: as the services read it (with the key ring certificate) or as a dump does (without).</summary>
public static class KeyRingAccess
{
    public static ServiceProvider OpenKeyRing(this JiraExportSystem system, bool withCertificate)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddScoped<TenantContext>()
            .AddDbContext<JiraExportDbContext>(options => options.UseNpgsql(system.OwnerConnectionString));
        var dataProtection = services.AddDataProtection().SetApplicationName("JiraExport").PersistKeysToDbContext<JiraExportDbContext>();
        if (withCertificate)
        {
            dataProtection.ProtectKeysWithCertificate(KeyRingCertificate.Load(JiraExportSystem.KeyRingCertificateBase64));
        }

        return services.BuildServiceProvider();
    }
}
