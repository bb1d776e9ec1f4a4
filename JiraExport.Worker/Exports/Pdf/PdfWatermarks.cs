using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>Stamps watermarks over every page: text through XGraphics, images as one shared image object.</summary>
internal static class PdfWatermarks
{
    /// <summary>The share of the page's width and height a watermark may cover.</summary>
    private const double MaxCover = 0.8;
    private const double MaxFontSize = 72;
    private const double MinFontSize = 8;

    public static void Stamp(PdfDocument document, PdfWatermarkStamp stamp)
    {
        if (stamp.Text is { Length: > 0 } text)
        {
            StampText(document, text, stamp.Opacity, stamp.Angle);
        }
        else if (stamp.Image is { Length: > 0 } image)
        {
            StampImage(document, image, stamp.Opacity, stamp.Angle);
        }
    }

    private static void StampText(PdfDocument document, string text, double opacity, double angle)
    {
        var brush = new XSolidBrush(XColor.FromArgb((int)Math.Round(opacity * 255), 0x64, 0x74, 0x8b));
        foreach (var page in document.Pages)
        {
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var width = page.Width.Point;
            var height = page.Height.Point;
            var unit = graphics.MeasureString(text, new XFont(DejaVuFontResolver.FamilyName, 1, XFontStyleEx.Bold));
            var size = Math.Clamp(AvailableLength(width, height, unit.Height, angle) / unit.Width, MinFontSize, MaxFontSize);
            graphics.TranslateTransform(width / 2, height / 2);
            // XGraphics draws with y growing downwards: a negative turn reads as counter-clockwise on the page.
            graphics.RotateTransform(-angle);
            graphics.DrawString(text, new XFont(DejaVuFontResolver.FamilyName, size, XFontStyleEx.Bold), brush, new XPoint(0, 0), XStringFormats.Center);
        }
    }

    /// <summary>How long a line of text at <paramref name="angle"/> through the page's centre may be and stay on the page.</summary>
    private static double AvailableLength(double width, double height, double lineHeightPerPoint, double angle)
    {
        var radians = angle * Math.PI / 180;
        var cos = Math.Abs(Math.Cos(radians));
        var sin = Math.Abs(Math.Sin(radians));
        var alongWidth = cos < 1e-6 ? double.MaxValue : width * MaxCover / cos;
        var alongHeight = sin < 1e-6 ? double.MaxValue : height * MaxCover / sin;
        // Leave room for the line's own height, which a tilted line also spends across the page.
        return Math.Min(alongWidth, alongHeight) - (lineHeightPerPoint * 12);
    }

    private static void StampImage(PdfDocument document, byte[] bytes, double opacity, double angle)
    {
        // XGraphics resets the fill alpha before it draws an image, so the image is placed with raw operators under an
        // ExtGState of its own; both objects are shared by every page.
        var image = XImage.FromStream(new MemoryStream(bytes));
        var imageObject = new PdfImage(document, image);
        document.Internals.AddObject(imageObject);
        var state = new PdfExtGState(document) { NonStrokeAlpha = opacity, StrokeAlpha = opacity };
        document.Internals.AddObject(state);

        foreach (var page in document.Pages)
        {
            var box = page.MediaBox;
            var scale = Math.Min(box.Width * MaxCover * 0.75 / image.PixelWidth, box.Height * MaxCover * 0.75 / image.PixelHeight);
            var (w, h) = (image.PixelWidth * scale, image.PixelHeight * scale);
            var radians = angle * Math.PI / 180;
            var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));
            var (cx, cy) = (box.X1 + (box.Width / 2), box.Y1 + (box.Height / 2));
            // Maps the unit square of the image onto a w×h box centred on the page, turned counter-clockwise by the angle.
            double[] matrix = [w * cos, w * sin, -h * sin, h * cos, cx - (w / 2 * cos) + (h / 2 * sin), cy - (w / 2 * sin) - (h / 2 * cos)];

            var resources = page.Elements.GetDictionary("/Resources") ?? NewDictionary(page.Elements, "/Resources", document);
            (resources.Elements.GetDictionary("/XObject") ?? NewDictionary(resources.Elements, "/XObject", document)).Elements["/JxWatermark"] = imageObject.Reference;
            (resources.Elements.GetDictionary("/ExtGState") ?? NewDictionary(resources.Elements, "/ExtGState", document)).Elements["/JxWatermarkGs"] = state.Reference;

            // The page's own content is wrapped in q…Q so whatever state it leaves cannot move the watermark.
            page.Contents.PrependContent().CreateStream("q\n"u8.ToArray());
            var operators = string.Create(CultureInfo.InvariantCulture,
                $"Q\nq /JxWatermarkGs gs {string.Join(' ', matrix.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))} cm /JxWatermark Do Q\n");
            page.Contents.AppendContent().CreateStream(Encoding.ASCII.GetBytes(operators));
        }
    }

    private static PdfDictionary NewDictionary(PdfDictionary.DictionaryElements parent, string key, PdfDocument document)
    {
        var dictionary = new PdfDictionary(document);
        parent[key] = dictionary;
        return dictionary;
    }
}
