using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using JiraExport.IntegrationTests.Infrastructure;
using JiraExport.Tests.Shared;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The README's curl walkthrough, run as written against the running system: a documented route or field that is wrong fails it.</summary>
public sealed partial class ReadmeTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const string Section = "## Walkthrough with curl";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheWalkthroughsBashBlocksRunAgainstTheSystemAndDownloadTheReport()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.PathOf("README.md"), Token);
        var blocks = WalkthroughBlocks(readme);
        Assert.True(blocks.Count >= 2, $"Expected the walkthrough's bash blocks under \"{Section}\" in README.md.");

        var work = Directory.CreateTempSubdirectory("jiraexport-readme-");
        try
        {
            // The addresses and the admin key are this system's; every curl fails on an HTTP error, as a person would notice one.
            var script = new StringBuilder()
                .AppendLine("set -euo pipefail")
                .AppendLine("curl() { command curl --fail-with-body --max-time 60 \"$@\"; }")
                .AppendLine(string.Join('\n', blocks)
                    .Replace("http://localhost:5080", system.Api.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)
                    .Replace("http://localhost:5070", system.SimulatorAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)
                    .Replace("$(jq -r .adminKey .data/demo.json)", $"'{JiraExportSystem.AdminKey}'", StringComparison.Ordinal))
                .ToString();
            var (exitCode, output) = await RunBashAsync(script, work.FullName);

            Assert.True(exitCode == 0, $"The README walkthrough stopped (exit {exitCode}):\n{output}");
            var pdf = await File.ReadAllBytesAsync(Path.Combine(work.FullName, "alpha.pdf"), Token);
            Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
            Assert.Contains("\"ok\":true", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static List<string> WalkthroughBlocks(string readme)
    {
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no \"{Section}\" section.");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return [.. BashBlock().Matches(section).Select(m => m.Groups["code"].Value)];
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string directory)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var stdout = bash.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = bash.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw;
        }

        return (bash.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"```bash\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
