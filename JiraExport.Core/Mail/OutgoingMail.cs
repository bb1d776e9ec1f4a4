namespace JiraExport.Core.Mail;

/// <summary>One mail to one person: a plain-text body and the same content as HTML.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text, string Html);
