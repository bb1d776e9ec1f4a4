using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.Identity;

/// <summary>Invitation tokens: 256 random bits, mailed once, stored only as their SHA-256.</summary>
public static class InvitationTokens
{
    public const string Prefix = "jxi_";

    public static string Create() => Prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool LooksValid(string? token) =>
        token is { Length: > 0 and <= 100 } && token.StartsWith(Prefix, StringComparison.Ordinal);
}
