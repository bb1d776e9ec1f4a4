using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace JiraExport.Api.Apis;

/// <summary>Opaque keyset cursor over (updated, issue id), oldest change first: the order a client catching up reads in.</summary>
internal sealed record IssueCursor(DateTimeOffset Updated, long IssueId)
{
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Updated.UtcTicks}:{IssueId}")));

    public static bool TryParse(string text, out IssueCursor? cursor)
    {
        cursor = null;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (text.Length > 100 || !Base64Url.TryDecodeFromChars(text, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes, 0, written).Split(':');
        if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var id)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
        {
            cursor = new IssueCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        return cursor is not null;
    }
}
