using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Exports.Chromium;

/// <summary>Settings for the headless Chromium used to print reports, bound from the "Chromium" section.</summary>
public sealed class ChromiumOptions
{
    public const string SectionName = "Chromium";

    /// <summary>
    /// Path of the Chromium binary. Debian's chromium-headless-shell: the old headless mode built without the
    /// browser UI, which prints the same PDFs as full Chromium in two processes instead of four and about half
    /// the memory. The binary itself, not the /usr/bin wrapper script, so stopping it stops Chromium.
    /// </summary>
    [Required]
    public string ExecutablePath { get; set; } = "/usr/lib/chromium/chromium-headless-shell";

    /// <summary>How many pages (and therefore concurrent renders) one browser serves.</summary>
    [Range(1, 16)]
    public int PagePoolSize { get; set; } = 2;

    /// <summary>Upper bound for turning one HTML document into a PDF.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Passes --no-sandbox. Containers run the worker as root, where Chromium's sandbox cannot start;
    /// JavaScript is disabled and every non-data: request is blocked, which limits what a page can do.
    /// </summary>
    public bool NoSandbox { get; set; } = true;

    /// <summary>
    /// How many pages print one long report at the same time, each a part of it (see <see cref="PrintInPartsAboveChars"/>).
    /// Chromium lays out and prints a page on one core, so on two cores two parts halve the time. Capped by <see cref="PagePoolSize"/>.
    /// </summary>
    [Range(1, 16)]
    public int PrintParts { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Report HTML at least this long, with blocks marked <c>data-print-part</c>, is printed in parts; shorter HTML prints in one go.</summary>
    [Range(1, int.MaxValue)]
    public int PrintInPartsAboveChars { get; set; } = 512 * 1024;

    /// <summary>Additional command-line switches appended after the built-in ones.</summary>
    public string[] ExtraArgs { get; set; } = [];
}
