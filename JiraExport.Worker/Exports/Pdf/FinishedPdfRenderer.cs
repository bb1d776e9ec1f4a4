using System.Security.Cryptography;
using JiraExport.Core.Domain;
using JiraExport.Core.Finishing;
using JiraExport.Core.Persistence;
using JiraExport.Worker.Exports.Chromium;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// Prints an export's HTML as a finished PDF: resolves the export's options and the tenant's policy into a
/// <see cref="FinishingPlan"/> and hands both to the <see cref="ReportPrinter"/>.
/// </summary>
public sealed partial class FinishedPdfRenderer(
    JiraExportDbContext db,
    FinishingSecrets secrets,
    ReportPrinter printer,
    TimeProvider timeProvider,
    ILogger<FinishedPdfRenderer> logger)
{
    private const double DefaultOpacity = 0.2;
    private const double DefaultTextAngle = 45;

    /// <param name="partPrinted">Called with (parts printed, parts) as Chromium returns each part; a long report prints in several.</param>
    /// <exception cref="ExportFailedException">The export asks for a signature the tenant can no longer give.</exception>
    public async Task<byte[]> RenderAsync(
        Export export, string html, PdfPageSetup setup, Func<int, int, Task> partPrinted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var options = export.Options ?? new ExportOptions();
        var (tenantName, settings) = await ReadTenantAsync(cancellationToken);
        using var certificate = options.Sign is null ? null : OpenCertificate(settings);
        var printed = await printer.PrintAsync(html, options.Outline ?? true, setup, headings => new FinishingPlan(
                new PdfMetadata(
                    export.Title ?? setup.Title,
                    export.RequestedBy ?? tenantName,
                    Truncate($"Jira issues matching: {export.Jql}", 1000),
                    $"Jira, {export.Template}, {tenantName}"),
                headings,
                Watermarks(export, options.Watermark, settings?.WatermarkPolicy, tenantName),
                options.Encrypt is { } encrypt ? ToEncryption(secrets.Unprotect(export.TenantId, encrypt)) : null,
                certificate is null ? null : new PdfSignature(certificate, options.Sign!.Reason, options.Sign.Location)),
            partPrinted, cancellationToken);

        LogFinished(logger, export.Id, printed.Parts, printed.PrintedBytes, printed.Pdf.Length, printed.PrintMs, printed.FinishMs);
        return printed.Pdf;
    }

    private async Task<(string TenantName, TenantPdfSettings? Settings)> ReadTenantAsync(CancellationToken cancellationToken)
    {
        // Row-level security needs the tenant on a transaction, which the interceptor sets when one begins.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenantName = await db.Tenants.AsNoTracking().Select(t => t.Name).SingleAsync(cancellationToken);
        var settings = await db.TenantPdfSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (tenantName, settings);
    }

    /// <summary>The tenant's policy watermark first (it cannot be removed), then the request's own if it differs.</summary>
    private static List<PdfWatermarkStamp> Watermarks(Export export, WatermarkOptions? requested, WatermarkOptions? policy, string tenantName)
    {
        var stamps = new List<PdfWatermarkStamp>();
        foreach (var watermark in new[] { policy, requested }.OfType<WatermarkOptions>().Distinct())
        {
            var text = watermark.Text is { Length: > 0 } t ? WatermarkText.Fill(t, export.RequestedBy, export.CreatedAt, tenantName) : null;
            var image = text is null && watermark.ImageDataUrl is { } url ? WatermarkImage.Decode(url) : null;
            if (text is not null || image is not null)
            {
                stamps.Add(new PdfWatermarkStamp(text, image, watermark.Opacity ?? DefaultOpacity, watermark.Angle ?? (text is null ? 0 : DefaultTextAngle)));
            }
        }

        return stamps;
    }

    private static PdfEncryption ToEncryption(EncryptOptions encrypt) => new(
        encrypt.UserPassword,
        // Without an owner password of its own a reader holding the user password could lift the restrictions;
        // a random one that nobody keeps makes them stick.
        encrypt.OwnerPassword ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
        encrypt.AllowPrint ?? true,
        encrypt.AllowCopy ?? false,
        encrypt.AllowModify ?? false);

    private System.Security.Cryptography.X509Certificates.X509Certificate2 OpenCertificate(TenantPdfSettings? settings)
    {
        if (settings?.SigningCertificateProtected is not { } stored)
        {
            throw new ExportFailedException(
                "This export asks for a signature but the tenant has no signing certificate (it was deleted after the request); " +
                "upload one with PUT /api/v1/tenant/signing-certificate and request the export again.");
        }

        var certificate = secrets.UnprotectCertificate(settings.TenantId, stored);
        if (certificate.NotAfter.ToUniversalTime() < timeProvider.GetUtcNow().UtcDateTime)
        {
            var expired = certificate.NotAfter.ToUniversalTime();
            certificate.Dispose();
            throw new ExportFailedException(
                $"The tenant's signing certificate expired on {expired:u}; upload a current one with PUT /api/v1/tenant/signing-certificate.");
        }

        return certificate;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Export {ExportId}: Chromium printed {PrintedBytes} bytes in {Parts} part(s) in {PrintMs} ms; finished to {FinishedBytes} bytes in {FinishMs} ms")]
    private static partial void LogFinished(ILogger logger, Guid exportId, int parts, int printedBytes, int finishedBytes, long printMs, long finishMs);
}
