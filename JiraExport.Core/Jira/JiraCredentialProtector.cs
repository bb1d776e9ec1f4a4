using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.Core.Domain;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Jira;

/// <summary>Encrypts Jira credentials at rest with Data Protection and turns a stored connection back into a <see cref="JiraSite"/>.</summary>
public sealed class JiraCredentialProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector(TenantSecretPurposes.JiraCredentials);

    public string Protect(Guid tenantId, JiraCredentials credentials) =>
        _protector.ProtectFor(tenantId, JsonSerializer.Serialize(credentials, JsonSerializerOptions.Web));

    /// <summary>The credentials, readable only by the tenant they were stored for.</summary>
    public JiraCredentials Unprotect(Guid tenantId, string encrypted)
    {
        string json;
        try
        {
            json = _protector.UnprotectFor(tenantId, encrypted);
        }
        catch (CryptographicException ex)
        {
            throw new JiraException(JiraFailureKind.Unauthorized,
                "The connection's stored credentials cannot be read (they were not stored for this connection's tenant, or the key ring " +
                "lost their key); delete the connection and connect Jira again.", inner: ex);
        }

        return JsonSerializer.Deserialize<JiraCredentials>(json, JsonSerializerOptions.Web)
               ?? throw new InvalidOperationException("A stored Jira credential is empty.");
    }

    public JiraSite ToSite(JiraConnection connection) =>
        new(new Uri(connection.BaseUrl), connection.Deployment, Unprotect(connection.TenantId, connection.EncryptedCredential))
        {
            FailoverUrls = connection.FailoverBaseUrls.Select(url => new Uri(url)).ToList(),
            Limits = connection.MaxConcurrentRequests is null && connection.RequestsPerSecond is null
                ? null
                : new JiraSiteLimits(connection.MaxConcurrentRequests, connection.RequestsPerSecond),
        };
}
