namespace JiraExport.Core.Mail;

/// <summary>
/// One mail to one person: a plain-text body and the same content as HTML; a scheduled report's mail says which run it
/// belongs to (<see cref="Report"/>), so the run learns when it was sent.
/// </summary>
public sealed record OutgoingMail(string To, string Subject, string Text, string Html)
{
    public MailedReport? Report { get; init; }
}

/// <summary>The scheduled report run a mail delivers, and the export whose file it attaches (null: the mail links to it).</summary>
public sealed record MailedReport(Guid TenantId, Guid RunId, Guid? AttachExportId);
