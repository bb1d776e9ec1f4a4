using System.Globalization;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>Fills a watermark's <c>{user}</c>, <c>{date}</c> and <c>{tenant}</c> placeholders.</summary>
public static class WatermarkText
{
    public static string Fill(string text, string? user, DateTimeOffset date, string tenant) => text
        .Replace("{user}", user ?? "unknown user", StringComparison.OrdinalIgnoreCase)
        .Replace("{date}", date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
        .Replace("{tenant}", tenant, StringComparison.OrdinalIgnoreCase);
}
