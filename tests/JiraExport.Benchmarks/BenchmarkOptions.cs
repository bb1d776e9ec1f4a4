using System.Globalization;
using JiraExport.Core.Reports;

namespace JiraExport.Benchmarks;

/// <summary>Command-line settings: <c>--iterations N</c> (default 10), <c>--issues N</c> (default 1,000) and <c>--template NAME</c> (a built-in, default issue-list).</summary>
internal sealed record BenchmarkOptions(int Iterations, int Issues, string Template)
{
    public const int DefaultIterations = 10;
    public const int DefaultIssues = 1_000;
    public const string DefaultTemplate = ReportKinds.IssueList;

    public const string Usage =
        "Usage: dotnet run -c Release --project tests/JiraExport.Benchmarks -- [--iterations N] [--issues N] [--template NAME]\n" +
        "  --iterations N   measured renders after one warm-up (default 10, 1..1000)\n" +
        "  --issues N       issues in the generated report (default 1000, 0..100000)\n" +
        "  --template NAME  the built-in template printed (default issue-list; issue-list, issue-detail, sprint-report, release-notes, stakeholder-pack)";

    /// <summary>Parses the arguments; returns null and an error message when they are not understood.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var iterations = DefaultIterations;
        var issues = DefaultIssues;
        var template = DefaultTemplate;
        error = null;

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--iterations":
                    if (!TryReadInt(args, ++i, min: 1, max: 1_000, out iterations, ref error))
                    {
                        return null;
                    }

                    break;
                case "--issues":
                    if (!TryReadInt(args, ++i, min: 0, max: 100_000, out issues, ref error))
                    {
                        return null;
                    }

                    break;
                case "--template":
                    if (++i >= args.Count || BuiltInTemplates.Find(args[i]) is null)
                    {
                        error = $"--template needs the name of a built-in template: {string.Join(", ", BuiltInTemplates.All.Select(t => t.Name))}.";
                        return null;
                    }

                    template = args[i];
                    break;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return null;
            }
        }

        return new BenchmarkOptions(iterations, issues, template);
    }

    private static bool TryReadInt(IReadOnlyList<string> args, int index, int min, int max, out int value, ref string? error)
    {
        var name = args[index - 1];
        if (index >= args.Count
            || !int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value)
            || value < min
            || value > max)
        {
            value = 0;
            error = $"{name} needs a whole number from {min} to {max}.";
            return false;
        }

        return true;
    }
}
