using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JiraExport.Core.Sync;

/// <summary>How a sync's scope becomes JQL, and the fingerprint that says whether stored data still matches it.</summary>
public static class SyncScopes
{
    /// <summary>
    /// Raise when what a sync stores changes (fields asked for, how rows are derived): every connection's fingerprint
    /// then differs, so its next incremental sync runs full and back-fills what older runs left out.
    /// </summary>
    public const int StoreShapeVersion = 1;

    /// <summary>
    /// The scope of a connection that names none: every project its credentials can see. Empty, as JQL that matches
    /// everything is; Jira Cloud refuses such unbounded JQL, so each run asks Jira for the projects and walks those.
    /// </summary>
    public const string EveryProject = "";

    /// <summary><c>project in ("A", "B")</c> for a list of project keys, or the caller's JQL in parentheses.</summary>
    public static string ToJql(IReadOnlyList<string>? projects, string? jql) =>
        projects is { Count: > 0 }
            ? $"project in ({string.Join(", ", projects.Select(p => $"\"{p}\""))})"
            : $"({jql!.Trim()})";

    /// <summary>The JQL a walk pages through: the scope, for incremental runs only what changed since, in a stable order.</summary>
    public static string WalkJql(string scopeJql, DateTimeOffset? changedSince, DateTimeOffset walkStartedAt)
    {
        if (changedSince is not { } since)
        {
            return $"{scopeJql} ORDER BY key ASC";
        }

        // A relative period needs no time zone (absolute JQL dates are read in the user's zone); minutes are Jira's resolution.
        var minutes = Math.Max(1, (int)Math.Ceiling((walkStartedAt - since).TotalMinutes));
        return string.Create(CultureInfo.InvariantCulture, $"{scopeJql} AND updated >= \"-{minutes}m\" ORDER BY key ASC");
    }

    public static string Fingerprint(string scopeJql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"v{StoreShapeVersion}\n{scopeJql}")))[..32];
}
