namespace JiraExport.Core.Tenancy;

/// <summary>
/// The Data Protection purposes of tenants' secrets, in one place: the protectors use them, and so does the rebinding
/// of values stored before secrets were bound to their tenant. Never change one: what it protected would not decrypt.
/// </summary>
public static class TenantSecretPurposes
{
    public const string JiraCredentials = "JiraExport.JiraConnections.Credentials.v1";
    public const string PdfPasswords = "JiraExport.Exports.PdfPasswords.v1";
    public const string SigningCertificate = "JiraExport.Tenants.SigningCertificate.v1";
    public const string OidcClientSecret = "JiraExport.Sso.OidcClientSecret.v1";
    public const string JiraWebhookSecret = "JiraExport.JiraConnections.WebhookSecret.v1";
    public const string WebhookSigningSecret = "JiraExport.WebhookSubscriptions.SigningSecret.v1";

    /// <summary>Answers kept for Idempotency-Key replays (a created API key's secret is in some); always bound.</summary>
    public const string IdempotentResponses = "JiraExport.Idempotency.Responses.v1";
    public const string AuditChainKey = "JiraExport.Audit.ChainKey.v1";
}
