using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Persistence;

/// <summary>
/// Encrypts, at startup, the key ring entries written before the ring was encrypted: their master keys are plain XML,
/// so a dump of the database would still decrypt everything they protected. Each secret element is replaced exactly as
/// Data Protection does for a new key, so the entry reads back unchanged. Several services may start at once: a row is
/// only rewritten if it still holds the text that was read.
/// </summary>
public sealed partial class KeyRingEncryption(
    IServiceScopeFactory scopes, IOptions<KeyManagementOptions> keyManagement, ILogger<KeyRingEncryption> logger) : IHostedService
{
    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = DataProtectionNamespace + "requiresEncryption";
    private static readonly XName EncryptedSecret = DataProtectionNamespace + "encryptedSecret";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (keyManagement.Value.XmlEncryptor is not { } encryptor)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
        var entries = await db.DataProtectionKeys.AsNoTracking().Where(k => k.Xml != null).ToListAsync(cancellationToken);
        foreach (var entry in entries)
        {
            XElement key;
            try
            {
                key = XElement.Parse(entry.Xml!);
            }
            catch (XmlException)
            {
                // Data Protection skips an entry it cannot read; so does this, rather than keep the service from starting.
                LogUnreadable(entry.FriendlyName);
                continue;
            }

            var secrets = key.Descendants().Where(e => (bool?)e.Attribute(RequiresEncryption) == true).ToList();
            if (secrets.Count == 0)
            {
                continue;
            }

            foreach (var secret in secrets)
            {
                var encrypted = encryptor.Encrypt(new XElement(secret));
                secret.ReplaceWith(new XElement(EncryptedSecret,
                    new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!),
                    encrypted.EncryptedElement));
            }

            var rewritten = key.ToString(SaveOptions.DisableFormatting);
            if (await db.DataProtectionKeys.Where(k => k.Id == entry.Id && k.Xml == entry.Xml)
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.Xml, rewritten), cancellationToken) == 1)
            {
                LogEncrypted(entry.FriendlyName);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key ring entry {Key} is not XML; it was left as it is")]
    private partial void LogUnreadable(string? key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted the key ring entry {Key}, stored before the key ring was encrypted at rest")]
    private partial void LogEncrypted(string? key);
}
