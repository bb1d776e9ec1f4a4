using System.Globalization;
using System.Text.RegularExpressions;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Jql;

/// <summary>Reads JQL date values: absolute dates in the site's zone, or periods relative to now such as -5d.</summary>
internal static partial class JqlDates
{
    private static readonly string[] Formats = ["yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd"];

    public static DateTimeOffset Parse(string field, string value, TimeProvider time)
    {
        if (DateTime.TryParseExact(value.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateTimeOffset(local, JiraCatalog.SiteOffset);
        }

        var period = PeriodPattern().Match(value.Trim());
        if (period.Success)
        {
            var amount = int.Parse(period.Groups["amount"].Value, CultureInfo.InvariantCulture);
            if (period.Groups["sign"].Value == "-")
            {
                amount = -amount;
            }

            var unit = period.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "w" => TimeSpan.FromDays(7),
                "d" => TimeSpan.FromDays(1),
                "h" => TimeSpan.FromHours(1),
                _ => TimeSpan.FromMinutes(1),
            };
            return time.GetUtcNow().ToOffset(JiraCatalog.SiteOffset) + (unit * amount);
        }

        throw new JqlException(
            $"Date value '{value}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<amount>\d+)(?<unit>[wdhmWDHM])$")]
    private static partial Regex PeriodPattern();
}
