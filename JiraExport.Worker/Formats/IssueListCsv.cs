using System.Globalization;
using System.Text;
using JiraExport.Worker.Rendering;

namespace JiraExport.Worker.Formats;

/// <summary>
/// The issue list as CSV (RFC 4180: CRLF rows, fields quoted when they hold a comma, quote or line break, quotes
/// doubled), UTF-8. A cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
/// apostrophe, so a summary typed in Jira cannot become a formula in someone's Excel.
/// </summary>
public static class IssueListCsv
{
    private static readonly string[] Header = ["Key", "Summary", "Status", "Assignee", "Priority", "Updated"];

    public static byte[] Write(IReadOnlyList<ReportIssue> issues)
    {
        var csv = new StringBuilder();
        AppendRow(csv, Header);
        foreach (var issue in issues)
        {
            AppendRow(csv, [issue.Key, issue.Summary, issue.Status, issue.Assignee, issue.Priority,
                issue.Updated.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)]);
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static void AppendRow(StringBuilder csv, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(Cell(cells[i]));
        }

        csv.Append("\r\n");
    }

    internal static string Cell(string? value)
    {
        var text = value ?? string.Empty;
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
