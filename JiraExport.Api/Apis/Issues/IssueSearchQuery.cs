using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace JiraExport.Api.Apis;

/// <summary>
/// The query of an issue search. <paramref name="Fields"/>: comma-separated Jira field ids to return with each issue
/// (<c>labels,customfield_10016</c>), or <c>*all</c> for every field Jira sent.
/// </summary>
public sealed record IssueSearchQuery(
    [FromQuery(Name = "connectionId")] Guid? ConnectionId,
    [FromQuery(Name = "project")] string? Project,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "updatedSince")] DateTimeOffset? UpdatedSince,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "fields")] string? Fields);

/// <summary>Which of an issue's stored Jira fields a search returns: none, all, or the ids named.</summary>
internal sealed partial class IssueFieldSelection
{
    private const string AllFields = "*all";
    private const int MaxFields = 50;

    private readonly HashSet<string>? _names;
    private readonly bool _all;

    private IssueFieldSelection(HashSet<string>? names, bool all) => (_names, _all) = (names, all);

    /// <summary>Whether the search asked for any field.</summary>
    public bool Any => _names is not null;

    public static IssueFieldSelection Parse(string? fields)
    {
        var names = Split(fields);
        return new IssueFieldSelection(names.Length == 0 ? null : [.. names], names.Contains(AllFields));
    }

    public static bool IsValid(string? fields)
    {
        var errors = new Dictionary<string, string[]>();
        Check(fields, errors);
        return errors.Count == 0;
    }

    public static void Check(string? fields, Dictionary<string, string[]> errors)
    {
        var names = Split(fields);
        if (names.Length > MaxFields)
        {
            errors["fields"] = [$"Name at most {MaxFields} fields, or *all."];
        }
        else if (names.FirstOrDefault(n => n != AllFields && !FieldId().IsMatch(n)) is { } bad)
        {
            errors["fields"] = [$"'{bad}' is not a Jira field id: use ids such as summary, labels or customfield_10016, separated by commas, or *all."];
        }
    }

    /// <summary>The selected fields of <paramref name="storedFields"/> (the issue's <c>fields</c> object as Jira sent it); null when none were asked for.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Select(string storedFields)
    {
        if (_names is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(storedFields);
        return document.RootElement.EnumerateObject()
            .Where(p => _all || _names.Contains(p.Name))
            .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    private static string[] Split(string? fields) =>
        fields?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex FieldId();
}
