using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using PdfSharp.Pdf.Signatures;

namespace JiraExport.Worker.Exports.Pdf;

/// <summary>
/// Finishes a PDF Chromium printed, in this order: metadata, outline, watermarks, then one save that encrypts (AES-256)
/// and/or signs (SHA-256, invisible signature). Links and named destinations of the original are kept: the document is
/// modified in place, not copied page by page (a report printed in parts arrives joined, see <see cref="PdfPartJoiner"/>).
/// Stateless and thread-safe.
/// </summary>
public sealed partial class PdfFinisher(ILogger<PdfFinisher> logger)
{
    public const string Creator = "JiraExport";

    public async Task<byte[]> FinishAsync(byte[] pdf, FinishingPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(plan);
        using var document = PdfReader.Open(new MemoryStream(pdf, writable: false), PdfDocumentOpenMode.Modify);
        return await FinishAsync(document, pdf.Length, plan, cancellationToken);
    }

    /// <summary>Finishes and saves a document already open for changes, such as the join of a report printed in parts.</summary>
    /// <param name="printedBytes">The size of what Chromium printed, to size the output and for the log.</param>
    public async Task<byte[]> FinishAsync(PdfDocument document, int printedBytes, FinishingPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(plan);
        DejaVuFontResolver.EnsureRegistered();

        document.Info.Title = plan.Metadata.Title;
        document.Info.Author = plan.Metadata.Author ?? string.Empty;
        document.Info.Subject = plan.Metadata.Subject ?? string.Empty;
        document.Info.Keywords = plan.Metadata.Keywords ?? string.Empty;
        document.Info.Creator = Creator;

        var bookmarks = PdfOutlineBuilder.Build(document, plan.Outline);
        cancellationToken.ThrowIfCancellationRequested();

        foreach (var watermark in plan.Watermarks)
        {
            PdfWatermarks.Stamp(document, watermark);
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Chromium's streams are already compressed and are written back as they are; only what was added is compressed here.
        PdfContentCompression.Apply(document, cancellationToken);

        if (plan.Encryption is { } encryption)
        {
            document.SecurityHandler.SetEncryptionToV5();
            document.SecuritySettings.UserPassword = encryption.UserPassword ?? string.Empty;
            document.SecuritySettings.OwnerPassword = encryption.OwnerPassword;
            document.SecuritySettings.PermitPrint = encryption.AllowPrint;
            document.SecuritySettings.PermitFullQualityPrint = encryption.AllowPrint;
            document.SecuritySettings.PermitExtractContent = encryption.AllowCopy;
            document.SecuritySettings.PermitModifyDocument = encryption.AllowModify;
            document.SecuritySettings.PermitAnnotations = encryption.AllowModify;
            document.SecuritySettings.PermitFormsFill = encryption.AllowModify;
            document.SecuritySettings.PermitAssembleDocument = encryption.AllowModify;
        }

        if (plan.Signature is { } signature)
        {
            var signer = new PdfSharpDefaultSigner(signature.Certificate, PdfMessageDigestType.SHA256);
            DigitalSignatureHandler.ForDocument(document, signer, new DigitalSignatureOptions
            {
                Reason = signature.Reason ?? string.Empty,
                Location = signature.Location ?? string.Empty,
                AppName = Creator,
                // An invisible signature: the document's look does not change.
                PageIndex = 0,
                Rectangle = new PdfSharp.Drawing.XRect(0, 0, 0, 0),
            });
        }

        using var output = new MemoryStream(printedBytes + (printedBytes / 4));
        await document.SaveAsync(output);
        var finished = output.ToArray();
        LogFinished(logger, printedBytes, finished.Length, bookmarks, plan.Watermarks.Count, plan.Encryption is not null, plan.Signature is not null);
        return finished;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Finished a PDF: {InputBytes} → {OutputBytes} bytes, {Bookmarks} bookmarks, {Watermarks} watermarks, encrypted {Encrypted}, signed {Signed}")]
    private static partial void LogFinished(ILogger logger, int inputBytes, int outputBytes, int bookmarks, int watermarks, bool encrypted, bool signed);
}
