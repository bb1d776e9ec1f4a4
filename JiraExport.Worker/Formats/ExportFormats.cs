namespace JiraExport.Worker.Formats;

/// <summary>The file an export format produces: its media type and file extension.</summary>
public static class ExportFormats
{
    public const string Pdf = "pdf";
    public const string Csv = "csv";
    public const string Json = "json";

    /// <summary>Template previews only: the HTML Chromium would print.</summary>
    public const string Html = "html";

    public static (string ContentType, string Extension) FileKind(string format) => format switch
    {
        Csv => ("text/csv; charset=utf-8", "csv"),
        Json => ("application/json", "json"),
        Html => ("text/html; charset=utf-8", "html"),
        _ => ("application/pdf", "pdf"),
    };
}
