using System.Security.Cryptography.X509Certificates;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>Everything <see cref="PdfFinisher"/> does to one PDF, resolved from the export, its options and the tenant's policy.</summary>
public sealed record FinishingPlan(
    PdfMetadata Metadata,
    IReadOnlyList<ReportHeading> Outline,
    IReadOnlyList<PdfWatermarkStamp> Watermarks,
    PdfEncryption? Encryption,
    PdfSignature? Signature);

public sealed record PdfMetadata(string Title, string? Author, string? Subject, string? Keywords);

/// <summary>A watermark with its placeholders filled in: text, or an image (PNG or JPEG bytes).</summary>
public sealed record PdfWatermarkStamp(string? Text, byte[]? Image, double Opacity, double Angle);

/// <summary>AES-256 with plain passwords; lives only while the file is written.</summary>
public sealed record PdfEncryption(string? UserPassword, string OwnerPassword, bool AllowPrint, bool AllowCopy, bool AllowModify);

/// <summary>The tenant's certificate with its private key; the finisher does not dispose it.</summary>
public sealed record PdfSignature(X509Certificate2 Certificate, string? Reason, string? Location);
