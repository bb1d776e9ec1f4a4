using System.Globalization;
using System.Text;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Jira's duration text (<c>1w 2d 3h 20m</c>) with its default working time: 8-hour days, 5-day weeks.</summary>
internal static class JiraDuration
{
    public static string Format(int seconds)
    {
        var minutes = seconds / 60;
        var parts = new StringBuilder();
        foreach (var (unit, size) in new[] { ("w", 5 * 8 * 60), ("d", 8 * 60), ("h", 60), ("m", 1) })
        {
            if (minutes >= size)
            {
                parts.Append(CultureInfo.InvariantCulture, $"{minutes / size}{unit} ");
                minutes %= size;
            }
        }

        return parts.Length == 0 ? "0m" : parts.ToString().TrimEnd();
    }
}
