using System.Globalization;
using System.Security;
using System.Text;

namespace JiraExport.Core.Analytics;

/// <summary>
/// Draws a <see cref="FlowChart"/> as a self-contained SVG: the API serves it, and the same markup goes into PDFs. Every
/// text (titles, status names, issue keys) is escaped: names come from Jira, which may be hostile. No script, no external
/// reference, fixed size, so it renders the same in a browser and in Chromium's print.
/// </summary>
public static class SvgChart
{
    public const int Width = 640;
    public const int Height = 320;
    private const int Left = 48;
    private const int Right = 16;
    private const int Top = 32;
    private const int Bottom = 44;
    private const double PlotWidth = Width - Left - Right;
    private const double PlotHeight = Height - Top - Bottom;
    private static readonly string[] Palette = ["#2563eb", "#f59e0b", "#94a3b8", "#10b981", "#ef4444"];

    public static string Render(FlowChart chart)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" role="img" font-family="sans-serif" font-size="11">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title>{Escape(chart.Title)}</title><rect width="{Width}" height="{Height}" fill="#ffffff"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="18" font-size="14" font-weight="bold" fill="#0f172a">{Escape(chart.Title)}</text>""");

        var x = XAxis.Of(chart);
        var yMax = NiceCeiling(Math.Max(1, Math.Max(StackedMax(chart), chart.Markers.Select(m => m.Value).DefaultIfEmpty(0).Max())));
        double Y(double value) => Top + PlotHeight - (value / yMax * PlotHeight);

        for (var tick = 0; tick <= 4; tick++)
        {
            var value = yMax * tick / 4;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{Y(value):F1}" y2="{Y(value):F1}" stroke="#e2e8f0"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{Y(value) + 4:F1}" text-anchor="end" fill="#475569">{value:0.#}</text>""");
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="12" y="{Top + (PlotHeight / 2):F0}" transform="rotate(-90 12 {Top + (PlotHeight / 2):F0})" text-anchor="middle" fill="#475569">{Escape(chart.ValueLabel)}</text>""");
        foreach (var (label, at) in x.Labels())
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{at:F1}" y="{Height - Bottom + 16}" text-anchor="middle" fill="#475569">{Escape(label)}</text>""");
        }

        var baseline = new Dictionary<string, double>();
        var barSeries = chart.Series.Where(s => s.Kind == "bars").ToList();
        for (var index = 0; index < chart.Series.Count; index++)
        {
            var series = chart.Series[index];
            var color = Palette[index % Palette.Length];
            switch (series.Kind)
            {
                case "bars":
                    // Several bar series share each slot side by side (velocity's committed and completed).
                    var slot = (PlotWidth / Math.Max(1, series.Points.Count)) * 0.8;
                    var width = Math.Max(1, slot / barSeries.Count);
                    var shift = (barSeries.IndexOf(series) * width) - (slot / 2) + (width / 2);
                    foreach (var point in series.Points)
                    {
                        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x.At(point) + shift - (width / 2):F1}" y="{Y(point.Value):F1}" width="{width:F1}" height="{Y(0) - Y(point.Value):F1}" fill="{color}"><title>{Escape(series.Name)}: {point.Value:0.#}</title></rect>""");
                    }

                    break;
                case "line":
                    svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', series.Points.Select(p => Point(x.At(p), Y(p.Value))))}" fill="none" stroke="{color}" stroke-width="2"><title>{Escape(series.Name)}</title></polyline>""");
                    break;
                case "area":
                    var upper = series.Points.Select(p => (X: x.At(p), Low: baseline.GetValueOrDefault(x.Key(p)), High: baseline.GetValueOrDefault(x.Key(p)) + p.Value)).ToList();
                    var outline = upper.Select(p => Point(p.X, Y(p.High))).Concat(upper.AsEnumerable().Reverse().Select(p => Point(p.X, Y(p.Low))));
                    svg.Append(CultureInfo.InvariantCulture, $"""<polygon points="{string.Join(' ', outline)}" fill="{color}" fill-opacity="0.8"><title>{Escape(series.Name)}</title></polygon>""");
                    foreach (var point in series.Points)
                    {
                        baseline[x.Key(point)] = baseline.GetValueOrDefault(x.Key(point)) + point.Value;
                    }

                    break;
                default:
                    var spread = new Dictionary<string, int>();
                    foreach (var point in series.Points)
                    {
                        // Items of one status column are spread sideways, a few pixels apart, so they do not hide each other.
                        var nth = spread[x.Key(point)] = spread.GetValueOrDefault(x.Key(point)) + 1;
                        var offset = point.Category is null ? 0 : ((nth % 9) - 4) * 3;
                        var tip = point.IssueKey is null ? "" : $"<title>{Escape(point.IssueKey)}: {point.Value:0.#} {Escape(chart.ValueLabel)}</title>";
                        svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{x.At(point) + offset:F1}" cy="{Y(point.Value):F1}" r="3" fill="{color}" fill-opacity="0.7">{tip}</circle>""");
                    }

                    break;
            }
        }

        foreach (var marker in chart.Markers)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{Y(marker.Value):F1}" y2="{Y(marker.Value):F1}" stroke="#dc2626" stroke-dasharray="4 3"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - Right - 2}" y="{Y(marker.Value) - 3:F1}" text-anchor="end" fill="#dc2626">{Escape(marker.Label)}: {marker.Value:0.#}</text>""");
        }

        if (chart.Series.Count > 1)
        {
            for (var index = 0; index < chart.Series.Count; index++)
            {
                var at = Width - Right - ((chart.Series.Count - index) * 96);
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{at}" y="8" width="10" height="10" fill="{Palette[index % Palette.Length]}"/><text x="{at + 14}" y="17" fill="#0f172a">{Escape(chart.Series[index].Name)}</text>""");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static double StackedMax(FlowChart chart)
    {
        var stacked = chart.Series.Where(s => s.Kind == "area").SelectMany(s => s.Points)
            .GroupBy(p => (p.Date, p.Category)).Select(g => g.Sum(p => p.Value)).DefaultIfEmpty(0).Max();
        var single = chart.Series.Where(s => s.Kind != "area").SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(0).Max();
        return Math.Max(stacked, single);
    }

    /// <summary>The smallest of 1, 2 or 5 times a power of ten at or above <paramref name="value"/>: round tick labels.</summary>
    private static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(m => m >= value);
    }

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:F1},{y:F1}");

    /// <summary>
    /// Text as XML may hold it: control characters XML forbids dropped, a lone surrogate replaced, cut at 60 characters
    /// between whole characters, then escaped. A name from Jira could otherwise make the image unreadable.
    /// </summary>
    private static string Escape(string text)
    {
        var allowed = new StringBuilder(Math.Min(text.Length, 64));
        var characters = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            // A lone surrogate comes out as U+FFFD, which XML allows.
            if ((rune.Value < 0x20 && rune.Value is not ('\t' or '\n' or '\r')) || rune.Value is 0xFFFE or 0xFFFF)
            {
                continue;
            }

            if (++characters > 60)
            {
                allowed.Append('…');
                break;
            }

            allowed.Append(rune.ToString());
        }

        return SecurityElement.Escape(allowed.ToString());
    }

    /// <summary>Dates spread over the plot's width, or categories in equal bands.</summary>
    private sealed class XAxis
    {
        private readonly DateOnly _first;
        private readonly int _days;
        private readonly List<string> _categories;

        private XAxis(DateOnly first, int days, List<string> categories) => (_first, _days, _categories) = (first, days, categories);

        public static XAxis Of(FlowChart chart)
        {
            var points = chart.Series.SelectMany(s => s.Points).ToList();
            var dates = points.Where(p => p.Date is not null).Select(p => p.Date!.Value).ToList();
            // Categories in the order the chart gives them: velocity's sprints oldest first, aging WIP's status columns.
            var categories = points.Where(p => p.Category is not null).Select(p => p.Category!).Distinct(StringComparer.Ordinal).ToList();
            return dates.Count == 0
                ? new XAxis(default, 0, categories)
                : new XAxis(dates.Min(), dates.Max().DayNumber - dates.Min().DayNumber, categories);
        }

        public string Key(ChartPoint point) => point.Category ?? point.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

        public double At(ChartPoint point) => point.Category is { } category
            ? Left + ((_categories.IndexOf(category) + 0.5) * PlotWidth / Math.Max(1, _categories.Count))
            : Left + (_days == 0 ? PlotWidth / 2 : (point.Date!.Value.DayNumber - _first.DayNumber) * PlotWidth / _days);

        public IEnumerable<(string Label, double At)> Labels()
        {
            if (_categories.Count > 0)
            {
                return _categories.Select(c => (c.Length > 16 ? c[..16] + "…" : c, At(new ChartPoint(null, c, 0))));
            }

            var dates = new[] { 0, _days / 2, _days }.Distinct().Select(d => _first.AddDays(d));
            return dates.Select(d => (d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), At(new ChartPoint(d, null, 0))));
        }
    }
}
