using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The committed monitoring configuration (deploy/prometheus, deploy/grafana) as Prometheus's own checker reads it: the
/// configuration and rules are valid, the alert rules pass their unit tests, and every dashboard query is valid PromQL
/// over recording rules that exist.
/// </summary>
public sealed partial class ObservabilityRulesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Deploy => Path.Combine(TestEnvironment.RepositoryRoot, "deploy");

    [Fact]
    public async Task TheDeploymentsPrometheusConfigurationAndItsAlertRulesAreValid()
    {
        var (exitCode, output) = await PromtoolAsync(["check", "config", Path.Combine(Deploy, "prometheus", "prometheus.yml")]);
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 27 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAlertRulesFireAndStayQuietAsTheirUnitTestsSay()
    {
        var (exitCode, output) = await PromtoolAsync(["test", "rules", Path.Combine(Deploy, "prometheus", "alerts.test.yml")]);
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryDashboardQueryIsValidPromQlAndNamesOnlyRecordingRulesThatExist()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Deploy, "grafana", "jiraexport-overview.json"), Token))!;
        var queries = dashboard["panels"]!.AsArray()
            .SelectMany(panel => panel!["targets"]?.AsArray() ?? [])
            .Select(target => target!["expr"]!.GetValue<string>())
            .ToList();
        Assert.True(queries.Count >= 20, $"{queries.Count} queries");

        // promtool checks PromQL in rule files, so each query becomes a recording rule of a throw-away file.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < queries.Count; i++)
        {
            rules.Append($"      - record: dashboard_query_{i}\n        expr: '{queries[i].Replace("'", "''", StringComparison.Ordinal)}'\n");
        }

        var directory = Directory.CreateTempSubdirectory("jiraexport-dashboard-");
        try
        {
            var file = Path.Combine(directory.FullName, "queries.yml");
            await File.WriteAllTextAsync(file, rules.ToString(), Token);
            var (exitCode, output) = await PromtoolAsync(["check", "rules", file]);
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        var recorded = RecordRule().Matches(await File.ReadAllTextAsync(Path.Combine(Deploy, "prometheus", "alerts.yml"), Token))
            .Select(m => m.Groups["name"].Value).ToHashSet();
        var used = queries.SelectMany(q => RecordingRuleName().Matches(q)).Select(m => m.Value).ToList();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, recorded));
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start; eng/bootstrap.sh installs it.");
        var output = process.StandardOutput.ReadToEndAsync(Token);
        var error = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"- record: (?<name>\S+)")]
    private static partial Regex RecordRule();

    [GeneratedRegex(@"jiraexport:[a-z_:0-9]+")]
    private static partial Regex RecordingRuleName();
}
