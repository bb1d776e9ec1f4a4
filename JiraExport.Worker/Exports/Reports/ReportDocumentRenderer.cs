using System.Diagnostics;
using System.Text;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Reports;
using JiraExport.Worker.Exports.Pdf;
using JiraExport.Worker.Exports.IssueLists;
using JiraExport.Worker.Exports.Chromium;

namespace JiraExport.Worker.Exports.Reports;

/// <summary>
/// Renders an export's document: loads its template and the tenant's branding, reads the issues the template's kind
/// needs, renders the Liquid in the sandbox and prints the HTML with Chromium (or returns the HTML, for a preview).
/// </summary>
public sealed partial class ReportDocumentRenderer(
    ReportTemplateLoader templates,
    ReportModelReader reader,
    ReportFlowReader flowReader,
    ReportTemplateEngine engine,
    FinishedPdfRenderer pdf,
    TimeProvider timeProvider,
    ILogger<ReportDocumentRenderer> logger)
{
    public static IReadOnlyList<string> DefaultFields { get; } = ["key", "summary", "status", "assignee", "priority", "updated"];

    /// <param name="issuesRead">Called with (issues read, issues) while the issues are read.</param>
    /// <param name="partPrinted">Called with (parts printed, parts) while the PDF prints.</param>
    public async Task<(byte[] Content, int IssueCount)> RenderAsync(
        Export export,
        JiraConnection? connection,
        JiraSite? site,
        Func<int, int, Task> issuesRead,
        Func<int, int, Task> partPrinted,
        CancellationToken cancellationToken)
    {
        var template = await templates.LoadAsync(export, cancellationToken);
        var branding = await templates.LoadBrandingAsync(cancellationToken);
        var options = new ReportOptionsModel(export.Options?.Toc ?? false, export.Options?.Outline ?? true);
        var title = export.Title ?? "Jira issues";
        var started = Stopwatch.GetTimestamp();

        ReportModel model;
        if (connection is null || site is null)
        {
            // A preview without JQL shows the sample report.
            model = SampleReports.For(template.Kind, branding, options, title);
        }
        else
        {
            // Custom fields are shown by name, which takes Jira's field list: only when the report shows them.
            var needsFieldNames = template.Kind != ReportKinds.IssueList || (export.Fields ?? []).Any(f => !IssueModelMapper.StandardFields.ContainsKey(f));
            var mapper = needsFieldNames
                ? await reader.CreateMapperAsync(site, connection, cancellationToken)
                : new IssueModelMapper(new Dictionary<string, string>(), connection.BaseUrl.TrimEnd('/'));
            var fromStore = export.Source == ExportSources.Store;
            var data = await reader.ReadAsync(template.Kind, export.Jql, export.IsPreview ? Export.PreviewMaxIssues : null, fromStore, connection, site, mapper, issuesRead, cancellationToken);
            if (fromStore)
            {
                export.SyncWatermark = connection.SyncWatermark;
            }

            var columns = (export.Fields is { Count: > 0 } fields ? fields : DefaultFields).Select(f => new ColumnModel(f, mapper.LabelOf(f))).ToList();
            var flow = template.Kind == ReportKinds.StakeholderPack ? await flowReader.ReadAsync(connection.Id, data.Issues, cancellationToken) : null;
            model = new ReportModel(title, template.Kind, export.Jql, timeProvider.GetUtcNow(), connection.BaseUrl, branding, options, columns,
                data.Issues, data.Sprints, data.Releases, flow);
        }

        export.TemplateVersion = template.Version;
        var read = Stopwatch.GetTimestamp();
        var html = await engine.RenderHtmlAsync(template.Source, model, cancellationToken);
        var rendered = Stopwatch.GetTimestamp();
        if (export.Format == ExportFormats.Html)
        {
            return (Encoding.UTF8.GetBytes(html), model.IssueCount);
        }

        var setup = new PdfPageSetup(branding.HeaderText ?? title, FooterText: branding.FooterText);
        var document = await pdf.RenderAsync(export, html, setup, partPrinted, cancellationToken);

        // Where a slow report spends its time: reading issues, the template, or printing and finishing.
        LogRendered(logger, export.Id, template.Kind, model.IssueCount, html.Length, Milliseconds(started, read), Milliseconds(read, rendered),
            Milliseconds(rendered, Stopwatch.GetTimestamp()));
        return (document, model.IssueCount);
    }

    private static long Milliseconds(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Rendered export {ExportId} ({Kind}, {IssueCount} issues, {HtmlChars} HTML characters): read {ReadMs} ms, template {TemplateMs} ms, PDF {PdfMs} ms")]
    private static partial void LogRendered(ILogger logger, Guid exportId, string kind, int issueCount, int htmlChars, long readMs, long templateMs, long pdfMs);
}
