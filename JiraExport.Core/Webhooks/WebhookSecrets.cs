using System.Security.Cryptography;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Webhooks;

/// <summary>
/// The signing secrets of webhook subscriptions, in the Standard Webhooks form (<c>whsec_</c> and 32 random bytes in
/// base64), stored protected for their tenant: signing needs the secret itself, so it is encrypted, not hashed.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    /// <summary>How long the secret before a rotation still signs, while receivers switch to the new one.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    private readonly IDataProtector _protector = provider.CreateProtector(TenantSecretPurposes.WebhookSigningSecret);

    public static string Create() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(Guid tenantId, string secret) => _protector.ProtectFor(tenantId, secret);

    public string Unprotect(Guid tenantId, string stored) => _protector.UnprotectFor(tenantId, stored);
}
