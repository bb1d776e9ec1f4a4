using System.Diagnostics;
using JiraExport.IntegrationTests.Infrastructure;
using JiraExport.Tests.Shared;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The TypeScript client (clients/typescript: openapi-typescript types from docs/api/v2.json, openapi-fetch calls):
/// <c>npm test</c> regenerates its types, type-checks it and runs its node tests against this running system.
/// </summary>
public sealed class TypeScriptClientTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheTypeScriptClientBuildsAndItsNodeTestsPassAgainstTheRunningApi()
    {
        var directory = RepositoryFiles.PathOf("clients/typescript");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules")),
            "clients/typescript has no node_modules: run `npm ci` there (eng/test.sh does).");
        var tenant = await system.CreateTenantAsync(Token);

        var start = new ProcessStartInfo("npm", ["test"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // npm and the packages it runs get the system's address and a tenant's key, not the run's server passwords.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("JX_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["JX_API_BASE_URL"] = system.Api.BaseAddress.ToString().TrimEnd('/');
        start.Environment["JX_API_KEY"] = tenant.ApiKey;
        start.Environment["JX_JIRA_BASE_URL"] = system.SimulatorAddress.ToString();
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        var output = npm.StandardOutput.ReadToEndAsync(Token);
        var error = npm.StandardError.ReadToEndAsync(Token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await npm.WaitForExitAsync(timeout.Token);
        var printed = await output + await error;

        Assert.True(npm.ExitCode == 0, $"npm test exited with {npm.ExitCode}:\n{printed}");
        // node's test runner reports its counts: both tests ran, none failed or was skipped.
        Assert.Contains("# pass 2", printed, StringComparison.Ordinal);
        Assert.Contains("# fail 0", printed, StringComparison.Ordinal);
        Assert.Contains("# skipped 0", printed, StringComparison.Ordinal);
    }
}
