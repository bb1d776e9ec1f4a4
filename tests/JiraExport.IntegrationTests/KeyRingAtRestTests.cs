using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>An attacker holding a dump of the database (a stolen backup, a read replica) tries to decrypt the secrets in it.</summary>
public sealed class KeyRingAtRestTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADumpOfTheDatabaseDecryptsNoJiraCredential()
    {
        var tenant = await system.CreateTenantAsync(Token, apiToken: "sim-api-token");
        var stored = Assert.Single(await system.ReadAsOwnerAsync(
            "SELECT encrypted_credential FROM jira_connections WHERE id = @id", new Dictionary<string, object> { ["id"] = tenant.ConnectionId }, Token));

        var keyRing = await system.ReadAsOwnerAsync("SELECT xml FROM data_protection_keys", new Dictionary<string, object>(), Token);
        Assert.NotEmpty(keyRing);
        Assert.All(keyRing, key =>
        {
            Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
            Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
        });

        await using (var dump = system.OpenDatabaseDump())
        {
            var protector = new JiraCredentialProtector(dump.GetRequiredService<IDataProtectionProvider>());
            var refused = Assert.Throws<JiraException>(() => protector.Unprotect(tenant.TenantId, stored));
            Assert.IsAssignableFrom<CryptographicException>(refused.InnerException);
        }

        // The control: with the certificate the same row decrypts, so the refusal above is the missing certificate's.
        await using var services = system.OpenKeyRing(withCertificate: true);
        var credentials = new JiraCredentialProtector(services.GetRequiredService<IDataProtectionProvider>()).Unprotect(tenant.TenantId, stored);
        Assert.Equal("sim-api-token", Assert.IsType<BasicJiraCredentials>(credentials).ApiToken);
    }

    [Fact]
    public async Task AKeyStoredBeforeTheKeyRingWasEncryptedIsEncryptedAtStartupAndStillDecrypts()
    {
        // A deployment from before: its key is stored as plain XML, and a secret was protected with it.
        string protectedBefore;
        Guid keyId;
        await using (var before = system.OpenKeyRing(withCertificate: false))
        {
            var now = DateTimeOffset.UtcNow;
            keyId = before.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(90)).KeyId;
            protectedBefore = before.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("stored before");
        }

        Assert.Contains("<masterKey", await KeyXmlAsync(keyId), StringComparison.Ordinal);

        await using var services = system.OpenKeyRing(withCertificate: true);
        await ActivatorUtilities.CreateInstance<KeyRingEncryption>(services).StartAsync(Token);

        var encrypted = await KeyXmlAsync(keyId);
        Assert.DoesNotContain("<masterKey", encrypted, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", encrypted, StringComparison.Ordinal);
        Assert.Equal("stored before", services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedBefore));
        await using var dump = system.OpenDatabaseDump();
        Assert.ThrowsAny<CryptographicException>(() => dump.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedBefore));
        // Nor did reading the dump leave a key of its own behind in plain XML.
        Assert.All(await system.ReadAsOwnerAsync("SELECT xml FROM data_protection_keys", new Dictionary<string, object>(), Token),
            key => Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AJiraCredentialCopiedIntoAnotherTenantsConnectionDoesNotDecryptThere()
    {
        // Someone who can write the database (not read the key ring) moves a victim's Jira credential into their own row.
        var victim = await system.CreateTenantAsync(Token);
        var attacker = await system.CreateTenantAsync(Token);
        await system.ExecuteAsOwnerAsync(
            "UPDATE jira_connections SET encrypted_credential = (SELECT encrypted_credential FROM jira_connections WHERE id = @victim) WHERE id = @attacker",
            new Dictionary<string, object> { ["victim"] = victim.ConnectionId, ["attacker"] = attacker.ConnectionId }, Token);

        using var test = await attacker.Client.PostAsync($"/api/v1/connections/{attacker.ConnectionId}/test", content: null, Token);
        var result = await test.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(test.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.False(result.GetProperty("ok").GetBoolean(), "The attacker's connection signed in to Jira with the victim's credential.");
        Assert.Contains("stored credentials cannot be read", result.GetProperty("error").GetString(), StringComparison.Ordinal);

        // The victim's own connection still works with it.
        using var own = await victim.Client.PostAsync($"/api/v1/connections/{victim.ConnectionId}/test", content: null, Token);
        Assert.True((await own.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task ACredentialStoredBeforeSecretsWereBoundIsRefusedUntilTheMigrationBindsItToItsTenant()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var keyRing = system.OpenKeyRing(withCertificate: true);
        var purpose = keyRing.GetRequiredService<IDataProtectionProvider>().CreateProtector(TenantSecretPurposes.JiraCredentials);
        var parameters = new Dictionary<string, object> { ["id"] = tenant.ConnectionId };
        var bound = Assert.Single(await system.ReadAsOwnerAsync("SELECT encrypted_credential FROM jira_connections WHERE id = @id", parameters, Token));
        // As the previous release stored it: protected with the purpose alone, which any tenant's row could hold.
        var legacy = purpose.Protect(purpose.UnprotectFor(tenant.TenantId, bound));
        await system.ExecuteAsOwnerAsync("UPDATE jira_connections SET encrypted_credential = @legacy WHERE id = @id",
            new Dictionary<string, object>(parameters) { ["legacy"] = legacy }, Token);
        Assert.False(await ConnectionWorksAsync(tenant));

        await ActivatorUtilities.CreateInstance<TenantSecretRebinding>(keyRing).RebindAsync(system.OwnerConnectionString, Token);

        var rebound = Assert.Single(await system.ReadAsOwnerAsync("SELECT encrypted_credential FROM jira_connections WHERE id = @id", parameters, Token));
        Assert.StartsWith("t1.", rebound, StringComparison.Ordinal);
        Assert.True(await ConnectionWorksAsync(tenant));
    }

    [Fact]
    public async Task APdfPasswordStoredBeforeSecretsWereBoundIsBoundInsideTheExportsOptions()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = DELTA-1", Token);
        await tenant.WaitForExportToFinishAsync(exportId, Token);
        await using var keyRing = system.OpenKeyRing(withCertificate: true);
        var purpose = keyRing.GetRequiredService<IDataProtectionProvider>().CreateProtector(TenantSecretPurposes.PdfPasswords);
        var parameters = new Dictionary<string, object> { ["id"] = exportId };
        await system.ExecuteAsOwnerAsync("UPDATE exports SET options = jsonb_build_object('encrypt', jsonb_build_object('userPassword', @legacy::text)) WHERE id = @id",
            new Dictionary<string, object>(parameters) { ["legacy"] = purpose.Protect("open sesame") }, Token);

        await ActivatorUtilities.CreateInstance<TenantSecretRebinding>(keyRing).RebindAsync(system.OwnerConnectionString, Token);

        var rebound = Assert.Single(await system.ReadAsOwnerAsync("SELECT options #>> '{encrypt,userPassword}' FROM exports WHERE id = @id", parameters, Token));
        Assert.Equal("open sesame", purpose.UnprotectFor(tenant.TenantId, rebound));
    }

    private static async Task<bool> ConnectionWorksAsync(TestTenant tenant)
    {
        using var test = await tenant.Client.PostAsync($"/api/v1/connections/{tenant.ConnectionId}/test", content: null, Token);
        return (await test.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("ok").GetBoolean();
    }

    private async Task<string> KeyXmlAsync(Guid keyId) => Assert.Single(await system.ReadAsOwnerAsync(
        "SELECT xml FROM data_protection_keys WHERE friendly_name = @name", new Dictionary<string, object> { ["name"] = "key-" + keyId }, Token));
}
