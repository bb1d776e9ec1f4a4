using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace JiraExport.Core.Jira;

/// <summary>
/// Jira writes offsets without a colon (<c>2022-06-09T16:29:31.871-0700</c>), which System.Text.Json rejects;
/// Agile dates use the extended form (<c>+10:00</c>). Both are accepted, and epoch numbers too.
/// </summary>
public sealed class JiraDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffzzz",
        "yyyy-MM-dd'T'HH:mm:ss.fffK",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd",
    ];

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // The spec's bulk changelog example writes epoch seconds; accept epoch milliseconds too.
        if (reader.TokenType == JsonTokenType.Number)
        {
            var epoch = reader.GetInt64();
            return epoch > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(epoch) : DateTimeOffset.FromUnixTimeSeconds(epoch);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A Jira date is a string or an epoch number, not {reader.TokenType}.");
        }

        var text = reader.GetString();
        return string.IsNullOrEmpty(text) ? null : Parse(text);
    }

    public static DateTimeOffset Parse(string text)
    {
        var normalized = InsertOffsetColon(text);
        if (DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        throw new JsonException($"'{text}' is not a date Jira writes.");
    }

    private static string InsertOffsetColon(string text)
    {
        // ...+0300 → ...+03:00; leaves "+03:00", "Z" and plain dates alone.
        if (text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && text.AsSpan(text.Length - 4).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return text;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture).Remove(26, 1));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
