using System.Diagnostics;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// eng/backup.sh and eng/restore-drill.sh against a database with a row in every tenant table: the drill restores the
/// backup into a fresh database and finds every table's rows identical, and it says which table differs when one does.
/// </summary>
public sealed class BackupRestoreTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABackupRestoresIntoAFreshDatabaseWithEveryTablesRowsIdenticalAndADifferenceIsNamed()
    {
        await using var tenant = await system.ArrangeBusyTenantAsync(Token);
        var backup = Directory.CreateTempSubdirectory("jiraexport-backup-");
        try
        {
            var (backedUp, backupOutput) = await RunAsync("backup.sh", backup.FullName);
            Assert.True(backedUp == 0, backupOutput);
            var manifest = await File.ReadAllLinesAsync(Path.Combine(backup.FullName, "manifest.tsv"), Token);
            var exportsLine = Assert.Single(manifest, line => line.StartsWith("exports\t", StringComparison.Ordinal));
            Assert.NotEqual("0", exportsLine.Split('\t')[1]);

            var (drilled, drillOutput) = await RunAsync("restore-drill.sh", backup.FullName);
            Assert.True(drilled == 0, drillOutput);
            Assert.Contains("every digest matches", drillOutput, StringComparison.Ordinal);
            Assert.Equal(manifest.Length, drillOutput.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));

            // A restore that lost or changed rows of one table is named (here the manifest is made to disagree).
            await File.WriteAllLinesAsync(Path.Combine(backup.FullName, "manifest.tsv"),
                manifest.Select(line => line == exportsLine ? $"exports\t{exportsLine.Split('\t')[1]}\t{new string('0', 32)}" : line), Token);
            var (differs, differsOutput) = await RunAsync("restore-drill.sh", backup.FullName);
            Assert.Equal(1, differs);
            Assert.Contains("DIFFERS  exports:", differsOutput, StringComparison.Ordinal);
            Assert.Contains("DIGESTS DIFFER", differsOutput, StringComparison.Ordinal);

            // The drill's databases are gone afterwards.
            Assert.Empty(await system.ReadAsOwnerAsync("SELECT datname FROM pg_database WHERE datname LIKE 'restore_drill_%'",
                new Dictionary<string, object>(), Token));
        }
        finally
        {
            backup.Delete(recursive: true);
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string script, string directory)
    {
        var connection = new NpgsqlConnectionStringBuilder(system.OwnerConnectionString);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestEnvironment.RepositoryRoot, "eng", script));
        start.ArgumentList.Add(directory);
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGPASSWORD"] = connection.Password;
        start.Environment["PGDATABASE"] = connection.Database;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Token);
        var error = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        return (process.ExitCode, await output + await error);
    }
}
