using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>
/// Checks the <c>Authorization: Bearer</c> JWT Jira sends a dynamic webhook's deliveries with: HS256 under our OAuth app's
/// client secret (API-NOTES §5.1), issued, not in the future, not expired, and meant to live minutes, not longer. Only the
/// algorithm Jira uses is taken, so a token naming <c>none</c> or another one is refused. The token names no connection:
/// the key in the webhook's URL ties a delivery to one (<see cref="JiraWebhookTarget.DynamicWebhookKeyHash"/>). Checked
/// by hand: the client secret may be shorter than the 256 bits the identity library insists on for HS256 keys.
/// </summary>
public sealed class JiraAppWebhookTokens(IOptions<JiraOAuthOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>A captured token is good until it expires: a token meant to live longer than this is refused.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

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
            return headerJson.RootElement is { ValueKind: JsonValueKind.Object } head && head.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String
                   && alg.GetString() == "HS256"
                   && claims.RootElement.ValueKind == JsonValueKind.Object
                   && Seconds(claims.RootElement, "iat") is { } issued && issued <= now + ClockSkew
                   && Seconds(claims.RootElement, "exp") is { } expires && expires > now - ClockSkew && expires - issued <= MaxLifetime;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }
    }

    private static DateTimeOffset? Seconds(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799))
            : null;
}
