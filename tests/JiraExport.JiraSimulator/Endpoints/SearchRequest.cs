using System.Globalization;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>The search parameters shared by the enhanced and the legacy search, read from a query string or a JSON body.</summary>
internal sealed record SearchRequest(
    string? Jql,
    string? NextPageToken,
    int? StartAt,
    int? MaxResults,
    IReadOnlyList<string>? Fields,
    IReadOnlyList<string> Expand)
{
    /// <summary>Whether <c>expand</c> asked for <paramref name="name"/> (e.g. <c>changelog</c>).</summary>
    public bool Expands(string name) => Expand.Contains(name, StringComparer.OrdinalIgnoreCase);

    public static SearchRequest FromQuery(IQueryCollection query) => new(
        query["jql"].LastOrDefault(),
        query["nextPageToken"].LastOrDefault(),
        ReadQueryInt(query, "startAt"),
        ReadQueryInt(query, "maxResults"),
        query["fields"].Count == 0 ? null : query["fields"].OfType<string>().ToList(),
        SplitExpand(query["expand"].OfType<string>()));

    /// <param name="allowedProperties">
    /// The enhanced search's body bean refuses unknown properties (a client sending <c>startAt</c> there has a bug);
    /// null accepts anything, as the legacy search does.
    /// </param>
    public static async Task<SearchRequest> FromBodyAsync(HttpRequest request, IReadOnlySet<string>? allowedProperties, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new JiraRequestException(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type: send the body as application/json.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw JiraRequestException.InvalidPayload();
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw JiraRequestException.InvalidPayload();
            }

            var root = document.RootElement;
            if (allowedProperties is not null && root.EnumerateObject().Any(p => !allowedProperties.Contains(p.Name)))
            {
                throw JiraRequestException.InvalidPayload();
            }

            // The enhanced search takes expand as one comma-separated string; an array there is refused.
            // Data Center's search bean takes a list.
            var expand = allowedProperties is not null || Property(root, "expand") is not { ValueKind: JsonValueKind.Array }
                ? SplitExpand([ReadString(root, "expand") ?? string.Empty])
                : ReadStrings(root, "expand") ?? [];

            return new SearchRequest(
                ReadString(root, "jql"),
                ReadString(root, "nextPageToken"),
                ReadInt(root, "startAt"),
                ReadInt(root, "maxResults"),
                ReadStrings(root, "fields"),
                expand);
        }
    }

    public static IReadOnlyList<string> SplitExpand(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static int? ReadQueryInt(IQueryCollection query, string name)
    {
        var text = query[name].LastOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JiraRequestException(StatusCodes.Status400BadRequest, $"The value '{text}' of parameter '{name}' is not a valid number.");
    }

    internal static string? ReadString(JsonElement root, string name) =>
        Property(root, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            _ => throw JiraRequestException.InvalidPayload(),
        };

    internal static int? ReadInt(JsonElement root, string name) =>
        Property(root, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
            _ => throw JiraRequestException.InvalidPayload(),
        };

    internal static List<string>? ReadStrings(JsonElement root, string name)
    {
        if (Property(root, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw JiraRequestException.InvalidPayload();
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>The property's value, or null when it is absent or JSON null (clients often send <c>"nextPageToken": null</c>).</summary>
    internal static JsonElement? Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
