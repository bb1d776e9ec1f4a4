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

    /// <summary>The Agile API's sprint dates keep the colon: <c>2015-04-11T15:22:00.000+10:00</c> (API-NOTES 2.3).</summary>
    public static string FormatExtended(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>How <c>renderedFields</c> shows a date to people: <c>05/Dec/18 2:32 PM</c>, in the site's zone.</summary>
    public static string Rendered(DateTimeOffset value) =>
        value.ToString("dd/MMM/yy h:mm tt", CultureInfo.InvariantCulture);
}
