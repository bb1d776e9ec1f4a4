using Cronos;

namespace JiraExport.Core.Sync;

/// <summary>Reads schedules written as cron (five fields, or six with seconds) in an IANA time zone, with Cronos.</summary>
public static class SyncCron
{
    public static bool TryParse(string? text, out CronExpression? expression, out string? error)
    {
        expression = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
        {
            error = "A cron expression is required, e.g. \"*/15 * * * *\" for every 15 minutes.";
            return false;
        }

        var format = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            expression = CronExpression.Parse(text.Trim(), format);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = $"'{text}' is not a cron expression: {ex.Message}";
            return false;
        }
    }

    /// <summary>The next time after <paramref name="after"/>, in UTC (what timestamptz stores); null when it never fires again.</summary>
    public static DateTimeOffset? Next(string cron, string timeZone, DateTimeOffset after) =>
        TryParse(cron, out var expression, out _)
            ? expression!.GetNextOccurrence(after, TimeZoneInfo.FindSystemTimeZoneById(timeZone))?.ToUniversalTime()
            : null;
}
