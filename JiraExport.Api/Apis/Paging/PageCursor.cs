using System.Buffers.Text;
using System.Text;

namespace JiraExport.Api.Apis;

/// <summary>Opaque keyset cursor over (time, id), newest first: exports by created_at, security events by occurred_at.</summary>
internal sealed record PageCursor(DateTimeOffset At, Guid Id)
{
    public override string ToString() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{At.UtcTicks}:{Id:N}"));

    public static bool TryParse(string text, out PageCursor? cursor)
    {
        cursor = null;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (text.Length > 200 || !Base64Url.TryDecodeFromChars(text, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes, 0, written).Split(':');
        if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && Guid.TryParse(parts[1], out var id)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
        {
            cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        return cursor is not null;
    }

    /// <summary>Checks <c>limit</c> and <c>cursor</c> of a list request; problems go into <paramref name="errors"/>.</summary>
    public static (int PageSize, PageCursor? After) ReadPage(
        int? limit, string? cursor, int defaultSize, int maxSize, Dictionary<string, string[]> errors)
    {
        var pageSize = limit ?? defaultSize;
        if (pageSize < 1 || pageSize > maxSize)
        {
            errors["limit"] = [$"Limit must be between 1 and {maxSize}."];
        }

        PageCursor? after = null;
        if (cursor is not null && !TryParse(cursor, out after))
        {
            errors["cursor"] = ["The cursor is not one this API handed out; start again without it."];
        }

        return (pageSize, after);
    }
}
