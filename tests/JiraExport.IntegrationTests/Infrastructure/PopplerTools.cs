using System.Diagnostics;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>Runs poppler-utils (pdfsig, pdfinfo; installed by eng/bootstrap.sh) on a PDF and returns what they print.</summary>
public static class PopplerTools
{
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
