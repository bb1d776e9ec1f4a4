using System.Security.Cryptography;
using System.Text;

namespace JiraExport.Core.Tenancy;

/// <summary>Tenant API keys: <c>jx_</c> + 40 random base62 characters; only the SHA-256 of the whole key is stored.</summary>
public static class ApiKeys
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const string KeyPrefix = "jx_";

    public static string Generate() => KeyPrefix + RandomNumberGenerator.GetString(Alphabet, 40);

    public static byte[] Hash(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>The part shown in listings so people can tell keys apart without seeing them.</summary>
    public static string DisplayPrefix(string apiKey) => apiKey[..Math.Min(apiKey.Length, 10)];
}
