using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Jira;
using JiraExport.Core.Jira.RichText;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// Reads values out of Jira's field JSON the way the sync's typed columns do, so a store export and a live export of the
/// same issue agree; custom fields are read by their schema type (number, string, option, user, date, arrays of these).
/// </summary>
public static class IssueFieldValues
{
    public static string? Text(JsonElement? value, params string[] path)
    {
        var current = value;
        foreach (var name in path)
        {
            current = current is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var next) ? next : null;
        }

        return current is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
    }

    public static DateTimeOffset? Instant(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } text ? JiraDateTimeOffsetConverter.Parse(text).ToUniversalTime() : null;

    /// <summary>A <c>date</c> field (<c>2026-03-01</c>); a datetime is cut to its date.</summary>
    public static DateOnly? CalendarDate(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } s || s.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : DateOnly.FromDateTime(JiraDateTimeOffsetConverter.Parse(text).UtcDateTime);
    }

    public static double? Number(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
        { ValueKind: JsonValueKind.String } s when double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>Rich text (ADF on Cloud v3, wiki markup elsewhere) as plain text, as the store's description column holds it.</summary>
    public static string? PlainText(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Object } adf => AtlassianDocument.ToPlainText(adf),
        { ValueKind: JsonValueKind.String } wiki => WikiMarkup.ToPlainText(wiki.GetString()),
        _ => null,
    };

    /// <summary>The names of an array of objects (components, versions) or the strings of an array of strings.</summary>
    public static IReadOnlyList<string>? Names(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(Display).OfType<string>().ToList() : null;

    /// <summary>How a person reads one value: an option's value (and its child's), a user's or entity's name, a plain value.</summary>
    public static string? Display(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Object when Text(value, "value") is { } option =>
            value.TryGetProperty("child", out var child) && Text(child, "value") is { } sub ? $"{option} - {sub}" : option,
        JsonValueKind.Object => Text(value, "displayName") ?? Text(value, "name") ?? Text(value, "key") ?? PlainText(value) ?? value.GetRawText(),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Display).OfType<string>()),
        _ => null,
    };

    /// <summary>A custom (or unlisted system) field's value by its schema type; unknown types fall back to how it reads.</summary>
    public static object? BySchema(JsonElement? value, JiraFieldSchema? schema)
    {
        if (value is not { } v)
        {
            return null;
        }

        return schema?.Type switch
        {
            "number" => Number(v),
            "date" => CalendarDate(v),
            "datetime" => Instant(v),
            "array" => Names(v),
            "string" when v.ValueKind == JsonValueKind.Object => PlainText(v),
            _ => v.ValueKind switch
            {
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.Array => Names(v),
                _ => Display(v),
            },
        };
    }

    public static IssueFieldKind KindOf(JiraFieldSchema? schema) => schema?.Type switch
    {
        "number" => IssueFieldKind.Number,
        "date" => IssueFieldKind.Date,
        "datetime" => IssueFieldKind.DateTime,
        "array" => IssueFieldKind.List,
        _ => IssueFieldKind.Text,
    };
}
