using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>
/// Checks the <c>Authorization: Bearer</c> JWT Jira sends a dynamic webhook's deliveries with: HS256 under our OAuth app's
/// client secret (API-NOTES §5.1), not expired, not issued in the future. Only the algorithm Jira uses is taken, so a token
/// naming <c>none</c> or another one is refused. Checked by hand: the client secret may be shorter than the 256 bits the
/// identity library insists on for HS256 keys.
/// </summary>
public sealed class JiraAppWebhookTokens(IOptions<JiraOAuthOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public bool IsValid(string token)
    {
        if (options.Value.ClientSecret is not { Length: > 0 } secret || token.Split('.') is not [var header, var payload, var signature])
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Base64Url.TryDecodeFromChars(signature, claimed, out var written) || written != claimed.Length)
        {
            return false;
        }

        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}"), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, claimed))
        {
            return false;
        }

        try
        {
            using var headerJson = JsonDocument.Parse(Base64Url.DecodeFromChars(header));
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            var now = timeProvider.GetUtcNow();
            return headerJson.RootElement.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String && alg.GetString() == "HS256"
                   && claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expires)
                   && DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(expires, 0, 253_402_300_799)) > now - ClockSkew
                   && (!claims.RootElement.TryGetProperty("iat", out var iat) || (iat.TryGetInt64(out var issued)
                       && DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(issued, 0, 253_402_300_799)) <= now + ClockSkew));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }
    }
}
