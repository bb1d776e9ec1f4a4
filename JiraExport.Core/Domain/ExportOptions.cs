namespace JiraExport.Core.Domain;

/// <summary>
/// What an export asks of its file beyond the data: the finishing of a PDF (watermark, signature, encryption, outline,
/// table of contents) and the byte order mark of a CSV. Stored with the export as jsonb.
/// </summary>
public sealed record ExportOptions(
    WatermarkOptions? Watermark = null,
    SignOptions? Sign = null,
    EncryptOptions? Encrypt = null,
    bool? Outline = null,
    bool? Toc = null,
    bool? CsvBom = null);

/// <summary>A text or image stamped on every page; the text may hold <c>{user}</c>, <c>{date}</c> and <c>{tenant}</c>.</summary>
public sealed record WatermarkOptions(string? Text = null, string? ImageDataUrl = null, double? Opacity = null, double? Angle = null);

/// <summary>Sign with the tenant's uploaded certificate.</summary>
public sealed record SignOptions(string? Reason = null, string? Location = null);

/// <summary>
/// AES-256 encryption. In the exports row the passwords hold Data Protection payloads (see
/// <c>FinishingSecrets</c>), never the plain text; the Worker unprotects them only to write the file.
/// </summary>
public sealed record EncryptOptions(
    string? UserPassword = null,
    string? OwnerPassword = null,
    bool? AllowPrint = null,
    bool? AllowCopy = null,
    bool? AllowModify = null);
