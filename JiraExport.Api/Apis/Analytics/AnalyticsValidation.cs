using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

/// <summary>The structural rules of the analytics requests, and their translation into the store's <see cref="FlowDefinition"/>.</summary>
internal static partial class AnalyticsValidation
{
    private const int MaxNames = 50;
    private const int MaxHolidays = 1000;

    public static Dictionary<string, string[]> ValidateCreate(CreateMetricDefinitionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is null || !Name().IsMatch(request.Name))
        {
            errors["name"] = ["A name is 1 to 64 lower-case letters, digits and dashes, starting with a letter, such as \"team-cycle-time\"."];
        }
        else if (request.Name == FlowDefinitions.BuiltInName)
        {
            errors["name"] = [$"\"{FlowDefinitions.BuiltInName}\" is the built-in definition's name; choose another."];
        }

        ValidateText(request.Description, request.Note, errors);
        ValidateRules(request.Rules, errors);
        return errors;
    }

    public static Dictionary<string, string[]> ValidateUpdate(UpdateMetricDefinitionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateText(request.Description, request.Note, errors);
        ValidateRules(request.Rules, errors);
        return errors;
    }

    public static Dictionary<string, string[]> ValidateCalendar(WorkCalendarRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.TimeZone is not { Length: <= 100 } || !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
        {
            errors["timeZone"] = [$"'{request.TimeZone}' is not an IANA time zone, e.g. Europe/Berlin."];
        }

        if (request.Weekend is { } weekend && (weekend.Count > 6 || !weekend.All(d => d is not null && DayNames.ContainsKey(d))))
        {
            errors["weekend"] = ["The weekend is at most six day names, such as [\"saturday\", \"sunday\"]."];
        }

        if (request.Holidays is { Count: > MaxHolidays })
        {
            errors["holidays"] = [$"At most {MaxHolidays} holidays; drop the years that are over."];
        }

        return errors;
    }

    /// <summary>The request's rules as stored; only called on rules <see cref="ValidateRules"/> accepted.</summary>
    public static FlowDefinition ToDefinition(FlowRulesRequest rules) => new(
        ToBoundary(rules.Start!), ToBoundary(rules.End!),
        rules.Days == "business" ? DayKind.Business : DayKind.Calendar,
        rules.Counting == "elapsed" ? DayCounting.Elapsed : DayCounting.Inclusive,
        [.. (rules.IssueTypes ?? []).Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)]);

    public static IReadOnlyList<DayOfWeek> ToWeekend(IReadOnlyList<string>? weekend) =>
        weekend is null ? [DayOfWeek.Saturday, DayOfWeek.Sunday] : [.. weekend.Select(d => DayNames[d]).Distinct().Order()];

    /// <summary>Day names only: <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would take "7" and "monday,tuesday" too.</summary>
    private static readonly Dictionary<string, DayOfWeek> DayNames =
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString(), d => d, StringComparer.OrdinalIgnoreCase);

    private static FlowBoundary ToBoundary(FlowBoundaryRequest boundary) => new(
        boundary.Category,
        boundary.Category is null ? [.. boundary.Statuses!.Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)] : [],
        boundary.Crossing == "last" ? Crossing.Last : Crossing.First);

    private static void ValidateText(string? description, string? note, Dictionary<string, string[]> errors)
    {
        if (description is { Length: > 500 })
        {
            errors["description"] = ["The description may be at most 500 characters."];
        }

        if (note is { Length: > 500 })
        {
            errors["note"] = ["The note may be at most 500 characters."];
        }
    }

    private static void ValidateRules(FlowRulesRequest? rules, Dictionary<string, string[]> errors)
    {
        if (rules is null)
        {
            errors["rules"] = ["Give the rules: {\"start\": {\"category\": \"indeterminate\", \"crossing\": \"first\"}, \"end\": {\"category\": \"done\", \"crossing\": \"last\"}, \"days\": \"calendar\", \"counting\": \"inclusive\"}."];
            return;
        }

        ValidateBoundary(rules.Start, "rules.start", errors);
        ValidateBoundary(rules.End, "rules.end", errors);
        if (rules.Days is not ("calendar" or "business"))
        {
            errors["rules.days"] = ["\"calendar\" or \"business\" (business days leave out the tenant calendar's weekend and holidays)."];
        }

        if (rules.Counting is not ("elapsed" or "inclusive"))
        {
            errors["rules.counting"] = ["\"elapsed\" (end − start) or \"inclusive\" (end − start + 1, as ActionableAgile counts)."];
        }

        if (rules.IssueTypes is { } types && (types.Count > MaxNames || types.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 200)))
        {
            errors["rules.issueTypes"] = [$"At most {MaxNames} issue type names, such as \"Story\"; leave it empty to count every type."];
        }
    }

    private static void ValidateBoundary(FlowBoundaryRequest? boundary, string field, Dictionary<string, string[]> errors)
    {
        if (boundary is null || (boundary.Category is null) == (boundary.Statuses is not { Count: > 0 }))
        {
            errors[field] = ["Give either a status category (\"category\": \"new\", \"indeterminate\" or \"done\") or the names of statuses (\"statuses\"), not both."];
            return;
        }

        if (boundary.Category is { } category && StatusCategories.Rank(category) < 0)
        {
            errors[$"{field}.category"] = [$"A status category is one of {string.Join(", ", StatusCategories.InOrder)}."];
        }

        if (boundary.Statuses is { } statuses && (statuses.Count > MaxNames || statuses.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 200)))
        {
            errors[$"{field}.statuses"] = [$"At most {MaxNames} status names, such as \"In Progress\"."];
        }

        if (boundary.Crossing is not ("first" or "last"))
        {
            errors[$"{field}.crossing"] = ["\"first\" or \"last\": which move into these statuses counts, when an issue makes more than one."];
        }
    }

    [GeneratedRegex(@"\A[a-z][a-z0-9-]{0,63}\z")]
    private static partial Regex Name();

    public static Dictionary<string, string[]> ValidateDashboard(DashboardRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not { Length: > 0 and <= 100 } || string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["A name of 1 to 100 characters."];
        }

        if (request.Widgets is not { Count: > 0 and <= Dashboard.MaxWidgets })
        {
            errors["widgets"] = [$"1 to {Dashboard.MaxWidgets} widgets."];
            return errors;
        }

        for (var index = 0; index < request.Widgets.Count; index++)
        {
            var widget = request.Widgets[index];
            var names = widget?.Kind switch { "metric" => FlowMetricNames.All, "chart" => FlowChartKinds.All, _ => null };
            if (widget is null || names is null || widget.Name is null || !names.Contains(widget.Name))
            {
                errors[$"widgets[{index}]"] = [$"A widget is a \"metric\" ({string.Join(", ", FlowMetricNames.All)}) or a \"chart\" ({string.Join(", ", FlowChartKinds.All)})."];
            }
            else if (widget.Title is { Length: > 100 } || widget.Projects is { Count: > 50 } || widget.WindowDays is not (null or (>= 1 and <= 3 * 366)))
            {
                errors[$"widgets[{index}]"] = ["A title is at most 100 characters, at most 50 projects, and a window of 1 to 1,098 days."];
            }
        }

        return errors;
    }
}
