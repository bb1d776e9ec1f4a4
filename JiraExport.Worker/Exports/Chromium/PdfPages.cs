using System.Text;
using System.Text.RegularExpressions;

namespace JiraExport.Worker.Exports.Chromium;

/// <summary>Counts the pages of a PDF Chromium printed, for usage: Skia writes each page object uncompressed.</summary>
public static partial class PdfPages
{
    public static int Count(byte[] pdf) => PageObject().Count(Encoding.Latin1.GetString(pdf));

    // "/Type /Page" but not "/Type /Pages" (the page tree).
    [GeneratedRegex(@"/Type\s*/Page(?![A-Za-z])")]
    private static partial Regex PageObject();
}
