using JiraExport.Core.Mail;
using JiraExport.Core.Messaging;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Worker.Mail;

/// <summary>
/// Takes mails from <c>jx.mail</c> and sends them. A server that refuses or does not answer hands the message back; the
/// queue's delivery limit then parks it, so a mail is never dropped silently. Sending twice is possible (at least once).
/// </summary>
public sealed partial class MailConsumer(
    IConnection connection,
    SmtpMailSender sender,
    IDataProtectionProvider dataProtection,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<MailConsumer> logger) : QueueConsumer<MailRequested>(connection, publisher, options, logger)
{
    protected override string QueueName => MessagingTopology.MailQueue;

    protected override ushort Prefetch => 4;

    protected override async Task<Settlement> HandleAsync(MailRequested message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var mail = MailOutbox.Read(dataProtection, message);
        await sender.SendAsync(mail, cancellationToken);
        LogSent(Logger, mail.Subject, delivery.MessageId);
        return Settlement.Ack;
    }

    protected override string DeliveryLimitReason(MailRequested message) =>
        $"The mail was not sent after {Messaging.DeliveryLimit} attempts; see the earlier failures for the mail server's answers.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent mail '{Subject}' (message id {MessageId})")]
    private static partial void LogSent(ILogger logger, string subject, Guid messageId);
}
