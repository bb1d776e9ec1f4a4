using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Mail;

/// <summary>Sending mail: the server is <c>ConnectionStrings:mail</c> (<c>smtp://host:port</c>, or <c>smtps://</c> for TLS).</summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    [Required]
    public string From { get; set; } = "JiraExport <no-reply@jiraexport.local>";

    /// <summary>Optional SMTP credentials, for a relay that asks for them.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }
}
