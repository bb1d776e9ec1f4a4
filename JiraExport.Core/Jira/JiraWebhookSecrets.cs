using System.Security.Cryptography;
using System.Text;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Jira;

/// <summary>
/// The secret of a connection's admin webhook: made here, shown once to paste into Jira, kept encrypted for the tenant,
/// and used to check <c>X-Hub-Signature: sha256=&lt;hex HMAC of the raw body&gt;</c> on every delivery.
/// </summary>
public sealed class JiraWebhookSecrets(IDataProtectionProvider provider)
{
    public const string SignatureHeader = "X-Hub-Signature";

    private const string Sha256Prefix = "sha256=";

    private readonly IDataProtector _protector = provider.CreateProtector(TenantSecretPurposes.JiraWebhookSecret);

    /// <summary>A new secret: 32 random bytes, base64url (Jira takes any text).</summary>
    public static string Create() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Protect(Guid tenantId, string secret) => _protector.ProtectFor(tenantId, secret);

    /// <summary>The secret, or null when it cannot be read (stored for another tenant, or its key is gone).</summary>
    public string? Unprotect(Guid tenantId, string stored)
    {
        try
        {
            return _protector.UnprotectFor(tenantId, stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether the header has the shape of a signature (<c>sha256=</c> and 64 hex digits): checked before a body is read.</summary>
    public static bool IsWellFormed(string signatureHeader) =>
        signatureHeader.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase)
        && signatureHeader.AsSpan(Sha256Prefix.Length).Trim() is { Length: HMACSHA256.HashSizeInBytes * 2 } hex && !hex.ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// Whether <paramref name="signatureHeader"/> is <c>sha256=</c> and the HMAC-SHA256 of exactly <paramref name="body"/>
    /// under <paramref name="secret"/>, compared in constant time. Another algorithm is refused: Jira names it in the prefix.
    /// </summary>
    public static bool IsSignedBy(string? signatureHeader, ReadOnlySpan<byte> body, string secret)
    {
        if (signatureHeader is null || !signatureHeader.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = signatureHeader.AsSpan(Sha256Prefix.Length).Trim();
        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (hex.Length != claimed.Length * 2 || Convert.FromHexString(hex, claimed, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != claimed.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
