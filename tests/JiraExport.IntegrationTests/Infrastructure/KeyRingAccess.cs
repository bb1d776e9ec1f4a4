using System.Xml.Linq;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>The system's key ring read straight from its database: as the services read it (with the key ring certificate), as an older release wrote it (without), or as a dump does.</summary>
public static class KeyRingAccess
{
    public static ServiceProvider OpenKeyRing(this JiraExportSystem system, bool withCertificate) => Open(system, withCertificate, readOnly: false);

    /// <summary>
    /// What a stolen copy of the database gives: its key ring without the certificate. Data Protection makes itself a
    /// fresh key when none it holds can be decrypted; a dump never writes that key back into the system's database.
    /// </summary>
    public static ServiceProvider OpenDatabaseDump(this JiraExportSystem system) => Open(system, withCertificate: false, readOnly: true);

    private static ServiceProvider Open(JiraExportSystem system, bool withCertificate, bool readOnly)
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

        if (readOnly)
        {
            services.AddSingleton<IPostConfigureOptions<KeyManagementOptions>, ReadOnlyKeyRing>();
        }

        return services.BuildServiceProvider();
    }

    private sealed class ReadOnlyKeyRing : IPostConfigureOptions<KeyManagementOptions>
    {
        public void PostConfigure(string? name, KeyManagementOptions options) => options.XmlRepository = new Copy(options.XmlRepository!);

        private sealed class Copy(IXmlRepository database) : IXmlRepository
        {
            public IReadOnlyCollection<XElement> GetAllElements() => database.GetAllElements();

            public void StoreElement(XElement element, string friendlyName)
            {
            }
        }
    }
}
