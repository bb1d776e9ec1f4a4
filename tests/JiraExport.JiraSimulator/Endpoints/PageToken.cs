using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// The opaque <c>nextPageToken</c>: the next offset bound to a hash of the JQL, so a token replayed with another
/// query is refused rather than silently paging the wrong result.
/// </summary>
internal static class PageToken
{
    public const string InvalidMessage = "The provided next page token is invalid or expired.";

    public static string Create(int offset, string jql) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"v1:{offset.ToString(CultureInfo.InvariantCulture)}:{QueryHash(jql)}"));

    /// <summary>The offset the token points at; throws a 400 when the token is malformed or was made for another query.</summary>
    public static int Read(string token, string jql)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        var parts = text.Split(':');
        if (parts.Length != 3 || parts[0] != "v1"
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || parts[2] != QueryHash(jql))
        {
            throw Invalid();
        }

        return offset;
    }

    private static JiraRequestException Invalid() => new(StatusCodes.Status400BadRequest, InvalidMessage);

    private static string QueryHash(string jql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jql.Trim())))[..16];
}
