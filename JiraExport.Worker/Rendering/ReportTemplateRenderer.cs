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

    public string Render(IssueListReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        // No root model: the report is reached only as "report", through the allow-list above.
        var context = new TemplateContext(_options);
        context.SetValue("report", report);

        return _template.Render(context, Encoder);
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
