using System.Text.RegularExpressions;

namespace JiraExport.JiraSimulator.OAuth;

/// <summary>The scopes <c>/authorize</c> knows: Jira's classic ones, the granular families of the published specs, and <c>offline_access</c>.</summary>
internal static partial class OAuthScopes
{
    /// <summary>Asks for a refresh token; without it the token answer has none (API-NOTES §3).</summary>
    public const string OfflineAccess = "offline_access";

    private static readonly HashSet<string> Classic = new(StringComparer.Ordinal)
    {
        "read:jira-work", "write:jira-work", "read:jira-user", "manage:jira-project", "manage:jira-configuration",
        "manage:jira-webhook", "manage:jira-data-provider", "read:me", "read:account", OfflineAccess,
    };

    /// <summary>The specs list ~190 granular scopes (<c>read:issue:jira</c>, <c>read:board-scope:jira-software</c>…); their shape is checked, not the list.</summary>
    [GeneratedRegex("^[a-z]+:[a-z0-9.-]+:jira(-software)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Granular();

    public static bool IsKnown(string scope) => Classic.Contains(scope) || Granular().IsMatch(scope);

    /// <summary>Splits a space-separated <c>scope</c> parameter, dropping repeats but keeping the order asked for.</summary>
    public static IReadOnlyList<string> Parse(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
}
