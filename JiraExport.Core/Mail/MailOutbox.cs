using System.Text.Json;
using JiraExport.Core.Messaging;
using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Core.Mail;

/// <summary>
/// Queues a mail through the transactional outbox: it is sent by the Worker only if the surrounding transaction commits,
/// and a restart loses nothing. The mail is encrypted with Data Protection first, because it may carry a one-time link
/// (an invitation, a verification) that a database or broker dump must not hand out.
/// </summary>
public sealed class MailOutbox(OutboxWriter outbox, IDataProtectionProvider dataProtection)
{
    // Never change: queued mails are decrypted with the same purpose.
    internal const string ProtectionPurpose = "JiraExport.Mail.v1";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectionPurpose);

    public void Enqueue(OutgoingMail mail) =>
        outbox.Enqueue(MessagingTopology.WorkExchange, MessagingTopology.MailRoutingKey,
            new MailRequested(_protector.Protect(JsonSerializer.Serialize(mail, JsonSerializerOptions.Web))));

    /// <summary>The Worker's side: the mail a queued message carries.</summary>
    public static OutgoingMail Read(IDataProtectionProvider dataProtection, MailRequested message) =>
        JsonSerializer.Deserialize<OutgoingMail>(dataProtection.CreateProtector(ProtectionPurpose).Unprotect(message.ProtectedMail), JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException("A queued mail is empty.");
}
