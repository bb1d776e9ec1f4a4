namespace JiraExport.Worker.Exports.Pdf;

/// <summary>Reads a watermark image given as a <c>data:image/png;base64,…</c> or <c>data:image/jpeg;base64,…</c> URL.</summary>
public static class WatermarkImage
{
    public static byte[] Decode(string dataUrl)
    {
        var comma = dataUrl.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !dataUrl.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || !dataUrl[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("A watermark image must be a base64 data: URL.");
        }

        return Convert.FromBase64String(dataUrl[(comma + 1)..]);
    }
}
