using System.Security.Cryptography;

namespace JiraExport.Core.Jira;

/// <summary>
/// The key in a dynamic webhook's URL (<c>?key=</c>): made when the webhook is registered, kept only as its SHA-256, and
/// compared in constant time. Jira's JWT proves a delivery comes from Jira for our app; the key, that it is for this
/// connection.
/// </summary>
public static class DynamicWebhookKeys
{
    public const string QueryName = "key";

    /// <summary>A new key (32 random bytes, base64url) and the hash to store.</summary>
    public static (string Key, byte[] Hash) Create()
    {
        var key = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key));
    }

    public static bool Matches(string? key, byte[]? storedHash) =>
        key is { Length: > 0 and <= 100 } && storedHash is { Length: SHA256.HashSizeInBytes }
        && CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);

    private static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
}
