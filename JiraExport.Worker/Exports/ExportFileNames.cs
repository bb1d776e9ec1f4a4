using System.Globalization;
using System.Text.RegularExpressions;

namespace JiraExport.Worker.Exports;

/// <summary>
/// The name an export's file is downloaded under: its title with every character but letters, digits, <c>_</c>, <c>.</c>
/// and <c>-</c> made a dash (safe in every file system and in <c>Content-Disposition</c>), at most
/// <see cref="MaxStemLength"/> characters, then the UTC time it was made.
/// </summary>
public static partial class ExportFileNames
{
    public const int MaxStemLength = 80;

    public static string For(string? title, string fallback, DateTimeOffset madeAt, string extension)
    {
        var stem = UnsafeCharacters().Replace(title ?? fallback, "-").Trim('-');
        stem = stem.Length == 0 ? fallback : stem.Length > MaxStemLength ? stem[..MaxStemLength].TrimEnd('-') : stem;
        return string.Create(CultureInfo.InvariantCulture, $"{stem}-{madeAt.UtcDateTime:yyyyMMdd-HHmm}.{extension}");
    }

    [GeneratedRegex(@"[^\p{L}\p{Nd}_.-]+")]
    private static partial Regex UnsafeCharacters();
}
