using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Microsoft.Extensions.FileProviders;

namespace JiraExport.Core.Reports;

/// <summary>
/// Liquid (Fluid) for report templates, sandboxed: members are read only from the report model's own types, nothing
/// is included from files, and one render is bounded in steps, time, output and the size of any value it builds.
/// Thread-safe; one instance serves every tenant.
/// </summary>
public sealed partial class ReportTemplateEngine
{
    private static readonly FluidParser Parser = new();

    // Escapes markup but leaves non-Latin letters alone; the default encoder turns each into an entity.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly Type[] ModelTypes =
    [
        typeof(ReportModel), typeof(ColumnModel), typeof(ReportOptionsModel), typeof(BrandingModel), typeof(IssueModel), typeof(FieldModel),
        typeof(CommentModel), typeof(WorklogModel), typeof(TransitionModel), typeof(ChangeModel), typeof(ChangeItemModel),
        typeof(IssueLinkModel), typeof(SprintModel), typeof(BurndownModel), typeof(BurndownDayModel), typeof(ReleaseModel),
        typeof(IssueGroupModel), typeof(FlowModel), typeof(FlowFigureModel), typeof(ForecastModel), typeof(InsightModel),
    ];

    private readonly ReportTemplateLimits _limits;
    private readonly TemplateOptions _options;

    public ReportTemplateEngine(ReportTemplateLimits? limits = null)
    {
        _limits = limits ?? ReportTemplateLimits.Default;
        _options = new TemplateOptions
        {
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            FileProvider = new NullFileProvider(),
            MaxRecursion = 20,
            MemberAccessStrategy = new DefaultMemberAccessStrategy { MemberNameStrategy = MemberNameStrategies.CamelCase },
        };
        foreach (var type in ModelTypes)
        {
            _options.MemberAccessStrategy.Register(type);
        }

        // Strings and arrays a template builds (assign, capture) are bounded: doubling one 30 times is 10 GB otherwise.
        _options.Assigned = (name, value, _) => ValueTask.FromResult(CheckValueSize(name, value));
        _options.Captured = (name, value, _) => ValueTask.FromResult(CheckValueSize(name, value));
    }

    /// <summary>Parses a template; the problems carry Liquid's line and column.</summary>
    public static IReadOnlyList<TemplateProblem> CheckSyntax(string liquid, string css)
    {
        var problems = new List<TemplateProblem>();
        AddSyntaxProblem(problems, liquid, null);
        AddSyntaxProblem(problems, css, "CSS: ");
        return problems;
    }

    /// <summary>
    /// Renders the template against <paramref name="model"/> and reports the variables and members it used that do not
    /// exist; a template that breaks a limit on sample data is reported as a problem too.
    /// </summary>
    public async Task<(IReadOnlyList<string> UnknownVariables, TemplateProblem? Problem)> FindUnknownVariablesAsync(
        TemplateSource source, ReportModel model, CancellationToken cancellationToken)
    {
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            await RenderAsync(source, model, TextWriter.Null, ReportTemplateLimits.Sample, name =>
            {
                unknown.Add(name);
                return ValueTask.FromResult<FluidValue>(NilValue.Instance);
            }, cancellationToken);
            return (unknown.ToList(), null);
        }
        catch (TemplateLimitException ex)
        {
            return (unknown.ToList(), new TemplateProblem(ex.Message));
        }
    }

    /// <summary>Renders the report to HTML, the CSS placed in the head.</summary>
    public async Task<string> RenderHtmlAsync(TemplateSource source, ReportModel model, CancellationToken cancellationToken)
    {
        var html = new StringWriter(CultureInfo.InvariantCulture);
        await RenderAsync(source, model, html, _limits, null, cancellationToken);
        return html.ToString();
    }

    private async Task RenderAsync(
        TemplateSource source, ReportModel model, TextWriter output, ReportTemplateLimits limits, Func<string, ValueTask<FluidValue>>? undefined,
        CancellationToken cancellationToken)
    {
        limits = limits with { MaxOutputChars = limits.OutputCharsFor(model.IssueCount, source.Assets.Sum(a => (long)a.Value.DataUrl.Length)) };
        var ranges = new RangeBounds(limits.MaxArrayItems);
        var body = ranges.VisitTemplate(Parse(source.Liquid, "template"));
        var css = ranges.VisitTemplate(Parse(source.Css, "CSS"));
        var clock = Stopwatch.StartNew();

        var context = new TemplateContext(_options) { MaxSteps = limits.MaxSteps };
        context.SetValue("report", model);
        context.SetValue("assets", source.Assets.ToDictionary(a => a.Key, a => a.Value.DataUrl, StringComparer.Ordinal));
        if (undefined is not null)
        {
            context.Undefined = name => undefined(name);
        }

        try
        {
            var styles = new BoundedWriter(new StringWriter(CultureInfo.InvariantCulture), limits, clock, cancellationToken);
            // CSS is not HTML: its values are not entity-encoded. Breaking out of the style element is not allowed.
            await css.RenderAsync(styles, NullEncoder.Default, context);
            // "</" becomes "<\/" (the same characters to CSS): no sequence of the template's CSS can close the style
            // element, not even one that removing "</style" once would have assembled ("</st</styleyle").
            var style = "<style>\n" + (styles.Inner.ToString() ?? string.Empty).Replace("</", "<\\/", StringComparison.Ordinal) + "\n</style>\n";

            // One budget for the whole report: the page gets what the styles (escaped as they will be sent) left.
            var page = new BoundedWriter(new StringWriter(CultureInfo.InvariantCulture), limits, clock, cancellationToken, alreadyWritten: style.Length);
            await body.RenderAsync(page, Encoder, context);
            var html = page.Inner.ToString() ?? string.Empty;
            var head = html.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
            await output.WriteAsync(head >= 0 ? html.Insert(head, style) : style + html);
        }
        catch (TemplateLimitException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FileNotFoundException or FormatException or NotSupportedException or InvalidCastException or IndexOutOfRangeException)
        {
            // Fluid throws these for a template's own mistakes (a missing partial, the step or recursion limit).
            throw new TemplateLimitException(Describe(ex, limits), ex);
        }
    }

    private static IFluidTemplate Parse(string liquid, string what) =>
        Parser.TryParse(liquid, out var template, out var error)
            ? template
            : throw new TemplateLimitException($"The {what} does not parse: {FirstLine(error)}");

    private static void AddSyntaxProblem(List<TemplateProblem> problems, string liquid, string? prefix)
    {
        if (Parser.TryParse(liquid, out _, out var error))
        {
            return;
        }

        var message = FirstLine(error);
        var at = Position().Match(message);
        problems.Add(at.Success
            ? new TemplateProblem(prefix + message, int.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(at.Groups[2].Value, CultureInfo.InvariantCulture))
            : new TemplateProblem(prefix + message));
    }

    private FluidValue CheckValueSize(string name, FluidValue value)
    {
        if (value is StringValue s && s.ToStringValue().Length > _limits.MaxValueChars)
        {
            throw new TemplateLimitException($"The template built a value '{name}' longer than {_limits.MaxValueChars:N0} characters; reports do not need values that large.");
        }

        if (value is ArrayValue a && a.Values.Count > _limits.MaxArrayItems)
        {
            throw new TemplateLimitException($"The template built an array '{name}' of more than {_limits.MaxArrayItems:N0} items.");
        }

        return value;
    }

    private static string Describe(Exception ex, ReportTemplateLimits limits) => ex.Message switch
    {
        var m when m.Contains("maximum number of steps", StringComparison.OrdinalIgnoreCase) || m.Contains("maximum level of recursion", StringComparison.OrdinalIgnoreCase) =>
            $"The template ran more than {limits.MaxSteps:N0} steps or nested too deeply; look for a loop over a range or an include of itself.",
        _ when ex is FileNotFoundException => "Templates cannot include or render files; put everything in the template itself.",
        var m => $"The template failed: {FirstLine(m)}",
    };

    private static string FirstLine(string? message) => (message ?? "unknown error").Split('\n')[0].Trim();

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex Position();


    /// <summary>
    /// Puts a size check in front of every range <c>(a..b)</c>. Fluid builds a range's items before a loop over it counts a
    /// single step, so <c>(1..100000000)</c> took 4.6 GB and 26 s before the step limit stopped it; now a range longer than
    /// the array limit is refused before anything is built. The check stands in for the range, so a <c>for</c> loop
    /// evaluates it as an ordinary list.
    /// </summary>
    private sealed class RangeBounds(int maxItems) : AstRewriter
    {
        public override Expression Visit(Expression expression) =>
            expression is RangeExpression range ? new BoundedRange(range, maxItems) : base.Visit(expression);
    }

    private sealed class BoundedRange(RangeExpression range, int maxItems) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var from = (await range.From.EvaluateAsync(context)).ToNumberValue();
            var to = (await range.To.EvaluateAsync(context)).ToNumberValue();
            if (to - from >= maxItems)
            {
                throw new TemplateLimitException(
                    $"The range ({from:0}..{to:0}) has more than {maxItems:N0} items; loop over the report's own lists (report.issues) instead.");
            }

            return await range.EvaluateAsync(context);
        }
    }

    /// <summary>Stops a render that writes too much or runs too long; the check runs on every write.</summary>
    /// <summary>Counts what a render writes against the one budget of the report; <paramref name="alreadyWritten"/> is what came before (the styles).</summary>
    private sealed class BoundedWriter(
        StringWriter inner, ReportTemplateLimits limits, Stopwatch clock, CancellationToken cancellationToken, long alreadyWritten = 0) : TextWriter
    {
        private long _written = alreadyWritten;

        public StringWriter Inner => inner;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            Count(1);
            inner.Write(value);
        }

        public override void Write(string? value)
        {
            Count(value?.Length ?? 0);
            inner.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Count(count);
            inner.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Count(buffer.Length);
            inner.Write(buffer);
        }

        public override Task WriteAsync(char value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char[] buffer, int index, int count)
        {
            Write(buffer, index, count);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken token = default)
        {
            Write(buffer.Span);
            return Task.CompletedTask;
        }

        private void Count(int chars)
        {
            _written += chars;
            if (_written > limits.MaxOutputChars)
            {
                throw new TemplateLimitException(
                    $"The report grew past {limits.MaxOutputChars:N0} characters of HTML, the most a report of its issues may write; " +
                    "simplify the template (an image placed once per issue is the usual cause) or narrow the JQL.");
            }

            if (clock.Elapsed > limits.MaxRenderTime)
            {
                throw new TemplateLimitException($"The template took longer than {limits.MaxRenderTime.TotalSeconds:0} s to render; look for nested loops over large lists.");
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
