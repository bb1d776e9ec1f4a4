using System.Globalization;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Jira writes timestamps as <c>2024-03-05T14:32:11.571+0300</c>: milliseconds, and an offset without a colon.</summary>
internal static class JiraDates
{
    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
               + $"{sign}{abs.Hours:00}{abs.Minutes:00}";
    }
}
