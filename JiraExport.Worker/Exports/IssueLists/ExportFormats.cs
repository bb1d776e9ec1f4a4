namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>The file an export format produces: its media type and file extension.</summary>
public static class ExportFormats
{
    public const string Pdf = "pdf";
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";
    public const string Json = "json";

    /// <summary>Template previews only: the HTML Chromium would print.</summary>
    public const string Html = "html";

    /// <summary>Formats written row by row from a stream of issues (see <see cref="IssueListExporter"/>), never held whole in memory.</summary>
    public static bool IsIssueList(string format) => format is Csv or Xlsx or Json;

    public static (string ContentType, string Extension) FileKind(string format) => format switch
    {
        Csv => ("text/csv; charset=utf-8", "csv"),
        Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        Json => ("application/json", "json"),
        Html => ("text/html; charset=utf-8", "html"),
        _ => ("application/pdf", "pdf"),
    };
}
