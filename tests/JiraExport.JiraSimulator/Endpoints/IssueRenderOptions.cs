namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>How an issue is rendered beyond its selected fields.</summary>
/// <param name="BareIdWhenIdOnly">Cloud's enhanced search answers a default (id-only) request with nothing but ids.</param>
/// <param name="ChangelogLimit">
/// With <c>expand=changelog</c>: how many of the newest histories to embed (Cloud's search stops at 20, bulk fetch at
/// 40; <c>int.MaxValue</c> for all). Null leaves the changelog out.
/// </param>
/// <param name="RenderedFields"><c>expand=renderedFields</c>: HTML for text, display dates for timestamps.</param>
/// <param name="Agile">Served under <c>/rest/agile/1.0</c>: the issue's <c>self</c> points there.</param>
internal sealed record IssueRenderOptions(bool BareIdWhenIdOnly = false, int? ChangelogLimit = null, bool RenderedFields = false, bool Agile = false);
