using PdfSharp.Fonts;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// PDFsharp has no system font lookup on Linux: every face it draws (the watermark text) resolves to DejaVu Sans
/// from fonts-dejavu-core (installed by eng/bootstrap.sh), which covers Latin, Cyrillic and Greek.
/// </summary>
public sealed class DejaVuFontResolver : IFontResolver
{
    public const string FamilyName = "DejaVu Sans";
    private const string FontDirectory = "/usr/share/fonts/truetype/dejavu";
    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lock RegistrationLock = new();
    private static bool _registered;

    private DejaVuFontResolver()
    {
    }

    /// <summary>
    /// Sets the resolver for the process. PDFsharp's font settings are global and may be set only once,
    /// so every caller goes through here; the first one sets it, the rest find it set.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered))
        {
            return;
        }

        lock (RegistrationLock)
        {
            if (_registered)
            {
                return;
            }

            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new DejaVuFontResolver();
            }

            Volatile.Write(ref _registered, true);
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: isItalic);

    public byte[]? GetFont(string faceName)
    {
        var path = Path.Combine(FontDirectory, faceName + ".ttf");
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new InvalidOperationException($"The font {path} is missing; install fonts-dejavu-core (eng/bootstrap.sh does).");
    }
}
