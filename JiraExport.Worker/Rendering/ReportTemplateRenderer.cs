using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace JiraExport.Worker.Rendering;

/// <summary>
/// Turns an <see cref="IssueListReport"/> into self-contained print HTML using the built-in
/// "issue-list" Liquid template. Parsed once; thread-safe, so register it as a singleton.
/// </summary>
public sealed class ReportTemplateRenderer
{
    private const string ResourcePrefix = "JiraExport.Worker.Rendering.";
    internal const string TemplateResourceName = ResourcePrefix + "Templates.issue-list.liquid";
    internal const string RegularFontResourceName = ResourcePrefix + "Fonts.DejaVuSans.ttf";
    internal const string BoldFontResourceName = ResourcePrefix + "Fonts.DejaVuSans-Bold.ttf";

    /// <summary>Font family name the template's CSS refers to.</summary>
    public const string FontFamily = "Report Sans";

    // Built once per process: the base64 of both fonts is ~2 MB and identical for every report.
    private static readonly Lazy<string> FontFaceCss = new(BuildFontFaceCss);

    private static readonly FluidParser Parser = new();

    // Escapes markup characters but leaves Cyrillic and other letters as-is; HtmlEncoder.Default
    // would turn every non-ASCII letter into an 8-character entity and bloat the document.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly IFluidTemplate _template;
    private readonly TemplateOptions _options;

    public ReportTemplateRenderer()
    {
        var source = ReadResourceText(TemplateResourceName);
        if (!Parser.TryParse(source, out var template, out var error))
        {
            throw new InvalidOperationException($"The built-in issue-list template does not parse: {error}");
        }

        _template = template;
        _options = new TemplateOptions
        {
            // Same output on every machine regardless of its locale or time zone.
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
        };

        // Allow-list only the report model; nothing else in the process is reachable from the template.
        _options.MemberAccessStrategy.Register<IssueListReport>();
        _options.MemberAccessStrategy.Register<ReportIssue>();
    }

    /// <summary>The @font-face rules that inline the bundled DejaVu fonts as data: URLs.</summary>
    public static string FontFaceStyles => FontFaceCss.Value;

    public string Render(IssueListReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        // No root model: the report is reached only as "report", through the allow-list above.
        var context = new TemplateContext(_options);
        context.SetValue("report", report);
        context.SetValue("font_face_css", FontFaceStyles);

        return _template.Render(context, Encoder);
    }

    private static string BuildFontFaceCss()
    {
        var css = new StringBuilder(capacity: 2_100_000);
        AppendFontFace(css, RegularFontResourceName, weight: 400);
        AppendFontFace(css, BoldFontResourceName, weight: 700);
        return css.ToString();
    }

    private static void AppendFontFace(StringBuilder css, string resourceName, int weight)
    {
        using var stream = OpenResource(resourceName);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);

        css.Append("@font-face{font-family:'").Append(FontFamily).Append("';font-style:normal;font-weight:")
            .Append(weight.ToString(CultureInfo.InvariantCulture))
            .Append(";src:url(data:font/ttf;base64,")
            .Append(Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length))
            .Append(") format('truetype');}\n");
    }

    private static string ReadResourceText(string resourceName)
    {
        using var reader = new StreamReader(OpenResource(resourceName), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static Stream OpenResource(string resourceName) =>
        typeof(ReportTemplateRenderer).Assembly.GetManifestResourceStream(resourceName)
        ?? throw new InvalidOperationException(
            $"Embedded resource '{resourceName}' is missing; check the EmbeddedResource items of the worker project.");
}
