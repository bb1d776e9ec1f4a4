using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using SkiaSharp;
using UglyToad.PdfPig;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Images every report embeds (the branding's logo, template assets) are stored no larger than a page shows them.</summary>
public sealed class ReportImageTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALargeLogoIsStoredAt800PixelsAndASmallOneAsSent()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var large = Picture(3000, 1000, SKEncodedImageFormat.Png);
        var stored = await PutLogoAsync(tenant, "data:image/png;base64," + Convert.ToBase64String(large));
        var (width, height) = Size(stored);
        Assert.Equal((800, 267), (width, height));
        Assert.True(stored.Length < large.Length / 4, $"{stored.Length:N0} bytes stored of {large.Length:N0} sent");

        var small = Picture(400, 300, SKEncodedImageFormat.Png);
        Assert.Equal(small, await PutLogoAsync(tenant, "data:image/png;base64," + Convert.ToBase64String(small)));
    }

    [Fact]
    public async Task AnImageWhoseHeaderClaimsAGiantCanvasIsRefusedBeforeDecoding()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var bomb = PngHeaderOnly(30_000, 30_000);

        using var template = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new
        {
            name = "bomb",
            kind = "issue-list",
            liquid = "<p>{{ report.title }}</p>",
            assets = new Dictionary<string, object> { ["bomb.png"] = new { contentType = "image/png", base64 = Convert.ToBase64String(bomb) } },
        }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, template.StatusCode);
        Assert.Contains("30,000 × 30,000", await template.Content.ReadAsStringAsync(Token));

        using var logo = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/branding",
            new { logoDataUrl = "data:image/png;base64," + Convert.ToBase64String(bomb) }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, logo.StatusCode);
        Assert.Contains("megapixels", await logo.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task ATemplatesPhotoIsStoredAt2000PixelsAndThePdfEmbedsThatCopy()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var photo = Picture(4000, 3000, SKEncodedImageFormat.Jpeg);
        var icon = Picture(400, 300, SKEncodedImageFormat.Png);
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/templates", new
        {
            name = "photo-page",
            kind = "issue-list",
            liquid = "<html><head><title>{{ report.title }}</title></head><body><img src=\"{{ assets['photo.jpg'] }}\" style=\"width:100%\"><img src=\"{{ assets['icon.png'] }}\"></body></html>",
            assets = new Dictionary<string, object>
            {
                ["photo.jpg"] = new { contentType = "image/jpeg", base64 = Convert.ToBase64String(photo) },
                ["icon.png"] = new { contentType = "image/png", base64 = Convert.ToBase64String(icon) },
            },
        }, Token);
        var template = await created.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(created.StatusCode == HttpStatusCode.Created, template.ToString());

        var assets = template.GetProperty("assets");
        var storedPhoto = Convert.FromBase64String(assets.GetProperty("photo.jpg").GetProperty("base64").GetString()!);
        Assert.Equal((2000, 1500), Size(storedPhoto));
        Assert.Equal(icon, Convert.FromBase64String(assets.GetProperty("icon.png").GetProperty("base64").GetString()!));

        using var preview = await tenant.Client.PostAsJsonAsync($"/api/v1/templates/{template.GetProperty("id").GetGuid()}/preview", new { format = "pdf" }, Token);
        var pdf = await preview.Content.ReadAsByteArrayAsync(Token);
        Assert.True(preview.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(pdf));
        Assert.True(pdf.Length < photo.Length, $"a {pdf.Length:N0}-byte PDF for a {photo.Length:N0}-byte photo");
        using var document = PdfDocument.Open(pdf);
        var widths = document.GetPages().SelectMany(p => p.GetImages()).Select(i => i.WidthInSamples).Order().ToList();
        Assert.Equal([400, 2000], widths);
    }

    private static async Task<byte[]> PutLogoAsync(TestTenant tenant, string logoDataUrl)
    {
        using var response = await tenant.Client.PutAsJsonAsync("/api/v1/tenant/branding", new { companyName = "Pictures Ltd", logoDataUrl }, Token);
        var branding = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, branding.ToString());
        var stored = branding.GetProperty("logoDataUrl").GetString()!;
        Assert.StartsWith("data:image/png;base64,", stored, StringComparison.Ordinal);
        return Convert.FromBase64String(stored[(stored.IndexOf(',', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>A gradient with dots: compresses like a real logo or photo, not like a single colour.</summary>
    private static byte[] Picture(int width, int height, SKEncodedImageFormat format)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        using var gradient = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.SteelBlue, SKColors.Orange], SKShaderTileMode.Clamp),
        };
        surface.Canvas.DrawRect(0, 0, width, height, gradient);
        using var dot = new SKPaint { Color = SKColors.White, IsAntialias = true };
        for (var i = 0; i < 40; i++)
        {
            surface.Canvas.DrawCircle(width * (i * 37 % 100) / 100f, height * (i * 53 % 100) / 100f, height / 20f, dot);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(format, 80);
        return data.ToArray();
    }

    private static (int Width, int Height) Size(byte[] image)
    {
        using var codec = SKCodec.Create(new MemoryStream(image));
        Assert.NotNull(codec);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>A PNG of a few dozen bytes whose header claims <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
