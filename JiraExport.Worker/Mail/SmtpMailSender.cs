using JiraExport.Core.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JiraExport.Worker.Mail;

/// <summary>
/// Sends one mail through the configured SMTP server with MailKit: a plain-text part and an HTML alternative, and a file
/// attached if one is given.
/// </summary>
public sealed class SmtpMailSender(Uri server, IOptions<MailOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(OutgoingMail mail, (string FileName, string ContentType, Stream Content)? attachment, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        // A title from a tenant may hold line breaks; a header may not.
        message.Subject = string.Concat(mail.Subject.Where(c => !char.IsControl(c)));
        var body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html };
        if (attachment is { } file)
        {
            await body.Attachments.AddAsync(file.FileName, file.Content, ContentType.Parse(file.ContentType), cancellationToken);
        }

        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        // Mails carry one-time tokens: off this machine the connection must be encrypted, so a stripped STARTTLS fails.
        var security = server.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect
            : server.IsLoopback ? SecureSocketOptions.StartTlsWhenAvailable
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(server.Host, server.Port, security, cancellationToken);
        if (options.Value.UserName is { Length: > 0 } userName)
        {
            await client.AuthenticateAsync(userName, options.Value.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
