using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

/// <summary>Checks an export's <c>options</c> (and a tenant's watermark policy) with messages a person can act on.</summary>
internal static class ExportOptionsValidation
{
    public const int MaxWatermarkTextLength = 200;
    public const int MaxWatermarkImageBytes = 1024 * 1024;
    public const int MaxPasswordLength = 128;

    private static readonly string[] ImageMediaTypes = ["image/png", "image/jpeg"];

    public static void Validate(ExportOptions? options, string format, Dictionary<string, string[]> errors)
    {
        if (options is null)
        {
            return;
        }

        if (format != ExportValidation.DefaultFormat)
        {
            var pdfOnly = new (string Name, bool Set)[]
            {
                ("watermark", options.Watermark is not null), ("sign", options.Sign is not null), ("encrypt", options.Encrypt is not null),
                ("outline", options.Outline is not null), ("toc", options.Toc is not null),
            };
            foreach (var (name, _) in pdfOnly.Where(o => o.Set))
            {
                errors[$"options.{name}"] = [$"\"{name}\" applies to PDF exports only; leave it out for {format}, or ask for format \"pdf\"."];
            }
        }

        if (options.CsvBom is not null && format != "csv")
        {
            errors["options.csvBom"] = ["\"csvBom\" applies to CSV exports only."];
        }

        if (options.Watermark is { } watermark)
        {
            ValidateWatermark(watermark, "options.watermark", errors);
        }

        if (options.Sign is { } sign)
        {
            if (sign.Reason is { Length: > 200 })
            {
                errors["options.sign.reason"] = ["The reason may be at most 200 characters."];
            }

            if (sign.Location is { Length: > 200 })
            {
                errors["options.sign.location"] = ["The location may be at most 200 characters."];
            }
        }

        if (options.Encrypt is { } encrypt)
        {
            if (encrypt.UserPassword is null && encrypt.OwnerPassword is null)
            {
                errors["options.encrypt"] = ["Give a userPassword (needed to open the file), an ownerPassword (needed to change its permissions), or both."];
            }

            CheckPassword(encrypt.UserPassword, "options.encrypt.userPassword", errors);
            CheckPassword(encrypt.OwnerPassword, "options.encrypt.ownerPassword", errors);
            if (encrypt.UserPassword is not null && encrypt.UserPassword == encrypt.OwnerPassword)
            {
                errors["options.encrypt.ownerPassword"] = ["The owner password must differ from the user password, or anyone who can open the file could lift its restrictions."];
            }
        }
    }

    public static void ValidateWatermark(WatermarkOptions watermark, string field, Dictionary<string, string[]> errors)
    {
        var hasText = !string.IsNullOrWhiteSpace(watermark.Text);
        var hasImage = watermark.ImageDataUrl is not null;
        if (hasText == hasImage)
        {
            errors[field] = ["Give either \"text\" (e.g. \"CONFIDENTIAL — {user} — {date}\") or \"imageDataUrl\" (a PNG or JPEG data: URL), not both or neither."];
        }

        if (watermark.Text is { Length: > MaxWatermarkTextLength })
        {
            errors[field + ".text"] = [$"The watermark text is {watermark.Text.Length} characters; the limit is {MaxWatermarkTextLength}."];
        }

        if (watermark.ImageDataUrl is { } url && ImageProblem(url) is { } problem)
        {
            errors[field + ".imageDataUrl"] = [problem];
        }

        if (watermark.Opacity is { } opacity && (double.IsNaN(opacity) || opacity is <= 0 or > 1))
        {
            errors[field + ".opacity"] = ["Opacity is a number above 0 and at most 1 (e.g. 0.2 for a faint mark)."];
        }

        if (watermark.Angle is { } angle && (double.IsNaN(angle) || angle is < -360 or > 360))
        {
            errors[field + ".angle"] = ["The angle is in degrees, from -360 to 360 (45 runs from bottom left to top right)."];
        }
    }

    private static string? ImageProblem(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma < 0 ? string.Empty : url[..comma].ToLowerInvariant();
        if (!header.StartsWith("data:", StringComparison.Ordinal) || !header.EndsWith(";base64", StringComparison.Ordinal)
            || !ImageMediaTypes.Contains(header["data:".Length..^";base64".Length]))
        {
            return "Give the image as a data: URL, \"data:image/png;base64,…\" or \"data:image/jpeg;base64,…\".";
        }

        var base64 = url.AsSpan(comma + 1);
        if ((long)base64.Length * 3 / 4 > MaxWatermarkImageBytes + 3)
        {
            return $"The image is larger than {MaxWatermarkImageBytes / 1024 / 1024} MB; use a smaller or more compressed one.";
        }

        var bytes = new byte[(base64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(base64, bytes, out var length))
        {
            return "The image's base64 is not valid.";
        }

        if (length > MaxWatermarkImageBytes)
        {
            return $"The image is larger than {MaxWatermarkImageBytes / 1024 / 1024} MB; use a smaller or more compressed one.";
        }

        var isPng = length > 8 && bytes.AsSpan(0, 8).SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var isJpeg = length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
        return isPng || isJpeg ? null : "The image is neither a PNG nor a JPEG file.";
    }

    private static void CheckPassword(string? password, string field, Dictionary<string, string[]> errors)
    {
        if (password is { Length: 0 or > MaxPasswordLength })
        {
            errors[field] = [$"A password has 1 to {MaxPasswordLength} characters; leave the field out if you do not want one."];
        }
    }
}
