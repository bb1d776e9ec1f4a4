using System.Text.Json;
using JiraExport.Core.Domain;
using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Jira;

/// <summary>Encrypts Jira credentials at rest with Data Protection and turns a stored connection back into a <see cref="JiraSite"/>.</summary>
public sealed class JiraCredentialProtector(IDataProtectionProvider provider)
{
    // The purpose string isolates these payloads from every other use of the key ring; never change it.
    private readonly IDataProtector _protector = provider.CreateProtector("JiraExport.JiraConnections.Credentials.v1");

    public string Protect(JiraCredentials credentials) =>
        _protector.Protect(JsonSerializer.Serialize(credentials, JsonSerializerOptions.Web));

    public JiraCredentials Unprotect(string encrypted) =>
        JsonSerializer.Deserialize<JiraCredentials>(_protector.Unprotect(encrypted), JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException("A stored Jira credential is empty.");

    public JiraSite ToSite(JiraConnection connection) =>
        new(new Uri(connection.BaseUrl), connection.Deployment, Unprotect(connection.EncryptedCredential))
        {
            FailoverUrls = connection.FailoverBaseUrls.Select(url => new Uri(url)).ToList(),
            Limits = connection.MaxConcurrentRequests is null && connection.RequestsPerSecond is null
                ? null
                : new JiraSiteLimits(connection.MaxConcurrentRequests, connection.RequestsPerSecond),
        };
}
