using JiraExport.Core.Reports;
using SkiaSharp;

namespace JiraExport.Api.Reports;

/// <summary>
/// Stores the images that go into every report no larger than a printed page shows them: a PNG or JPEG whose long side
/// exceeds the limit is scaled down (Mitchell filter) and encoded again, PNG as PNG (transparency kept) and JPEG as JPEG.
/// Chromium embeds images as they are, so a 4,000-pixel logo would otherwise sit in every page's PDF at full size.
/// An image is kept as sent when it already fits, when the smaller copy would not save bytes, when it cannot be decoded
/// (validation has said what it may be), or when a JPEG is stored rotated (its EXIF orientation would be lost).
/// </summary>
public static class ReportImages
{
    /// <summary>A logo prints at most 45 mm wide: 800 pixels is over 400 dpi.</summary>
    public const int MaxLogoPixels = 800;

    /// <summary>An asset may fill a page: 2,000 pixels across 190 mm is over 260 dpi.</summary>
    public const int MaxAssetPixels = 2000;

    /// <summary>
    /// What an uploaded image may decode to: 40 megapixels (160 MB of pixels). A PNG header of a few bytes can claim
    /// 30,000 × 30,000, which would take 3.6 GB to decode, so the claim is checked before anything is decoded.
    /// </summary>
    public const long MaxDecodedPixels = 40_000_000;

    private const int JpegQuality = 85;

    /// <summary>Why the image must be refused before decoding (its header claims too many pixels); null when it may be decoded.</summary>
    public static string? RefuseOversized(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var codec = SKCodec.Create(new MemoryStream(image));
        return codec is not null && (long)codec.Info.Width * codec.Info.Height > MaxDecodedPixels
            ? $"its header claims {codec.Info.Width:N0} × {codec.Info.Height:N0} pixels; images may have at most {MaxDecodedPixels / 1_000_000:N0} megapixels."
            : null;
    }

    /// <summary>The image, fitted into <paramref name="maxPixels"/> on its long side; the same array when it is kept.</summary>
    public static byte[] Fit(byte[] image, string contentType, int maxPixels)
    {
        ArgumentNullException.ThrowIfNull(image);
        var format = contentType switch
        {
            "image/png" => SKEncodedImageFormat.Png,
            "image/jpeg" => SKEncodedImageFormat.Jpeg,
            _ => (SKEncodedImageFormat?)null,
        };
        if (format is null)
        {
            return image;
        }

        using var codec = SKCodec.Create(new MemoryStream(image));
        if (codec is null || codec.EncodedOrigin != SKEncodedOrigin.TopLeft || Math.Max(codec.Info.Width, codec.Info.Height) <= maxPixels
            || (long)codec.Info.Width * codec.Info.Height > MaxDecodedPixels)
        {
            return image;
        }

        var scale = (double)maxPixels / Math.Max(codec.Info.Width, codec.Info.Height);
        var size = new SKImageInfo(
            Math.Max(1, (int)Math.Round(codec.Info.Width * scale)), Math.Max(1, (int)Math.Round(codec.Info.Height * scale)),
            SKImageInfo.PlatformColorType, codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
        using var original = SKBitmap.Decode(codec);
        using var fitted = original?.Resize(size, new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var encoded = fitted?.Encode(format.Value, JpegQuality);
        return encoded is not null && encoded.Size < image.Length ? encoded.ToArray() : image;
    }

    /// <summary>A <c>data:image/…;base64,</c> URL with its image fitted; anything else is returned as it is.</summary>
    public static string FitDataUrl(string dataUrl, int maxPixels)
    {
        ArgumentNullException.ThrowIfNull(dataUrl);
        var comma = dataUrl.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !dataUrl.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || !dataUrl[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return dataUrl;
        }

        var contentType = dataUrl[5..comma][..^";base64".Length].ToLowerInvariant();
        var image = Convert.FromBase64String(dataUrl[(comma + 1)..]);
        var fitted = Fit(image, contentType, maxPixels);
        return ReferenceEquals(fitted, image) ? dataUrl : $"data:{contentType};base64,{Convert.ToBase64String(fitted)}";
    }

    /// <summary>A template's assets with every image fitted into <see cref="MaxAssetPixels"/>.</summary>
    public static Dictionary<string, TemplateAsset> FitAssets(IReadOnlyDictionary<string, TemplateAsset> assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        return assets.ToDictionary(a => a.Key, a =>
        {
            var image = Convert.FromBase64String(a.Value.Base64);
            var fitted = Fit(image, a.Value.ContentType, MaxAssetPixels);
            return ReferenceEquals(fitted, image) ? a.Value : a.Value with { Base64 = Convert.ToBase64String(fitted) };
        }, StringComparer.Ordinal);
    }
}
