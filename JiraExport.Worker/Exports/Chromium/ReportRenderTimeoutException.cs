namespace JiraExport.Worker.Exports.Chromium;

/// <summary>Thrown when printing a report to PDF exceeds <see cref="ChromiumOptions.RenderTimeout"/>.</summary>
public sealed class ReportRenderTimeoutException(TimeSpan timeout, Exception? innerException = null)
    : TimeoutException(
        $"Rendering the PDF took longer than {timeout.TotalSeconds:0.#} s and was stopped. " +
        "Narrow the JQL so the export contains fewer issues, or split it into several exports.",
        innerException)
{
    public TimeSpan Timeout { get; } = timeout;
}
