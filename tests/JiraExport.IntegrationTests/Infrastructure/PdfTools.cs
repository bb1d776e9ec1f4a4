using System.Diagnostics;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>Runs PDF tools no one here wrote (poppler-utils' pdfsig, pdfinfo, pdffonts; qpdf; installed by eng/bootstrap.sh) on a PDF.</summary>
public static class PdfTools
{
    /// <summary>
    /// <c>qpdf --check</c>: the file's structure, cross-reference table and every stream decoded. Exit 0 is clean, 3 is
    /// "warnings" (such as a compressed stream that ends early), 2 is errors; any of those lines fails the test.
    /// </summary>
    public static async Task AssertStructureIsCleanAsync(byte[] pdf, string? password, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync("qpdf", pdf, password is null ? ["--check"] : ["--check", $"--password={password}"], cancellationToken);
        Xunit.Assert.True(exitCode == 0 && !output.Contains("WARNING", StringComparison.OrdinalIgnoreCase),
            $"qpdf --check exited with {exitCode}:\n{(output.Length > 3000 ? output[..3000] : output)}");
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, byte[] pdf, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"jx-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf, cancellationToken);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(path);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
