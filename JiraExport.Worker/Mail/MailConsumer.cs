using System.Text.Json;
using JiraExport.Core.Mail;
using JiraExport.Core.Messaging;
using Microsoft.AspNetCore.DataProtection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace JiraExport.Worker.Mail;

/// <summary>
/// Takes mails from <c>jx.mail</c> and sends them. A server that refuses or does not answer hands the message back; the
/// queue's delivery limit then parks it, so a mail is never dropped silently. Sending twice is possible (at least once).
/// </summary>
public sealed partial class MailConsumer(
    IConnection connection, SmtpMailSender sender, IDataProtectionProvider dataProtection, ILogger<MailConsumer> logger)
    : QueueConsumer(connection, logger)
{
    protected override string QueueName => MessagingTopology.MailQueue;

    protected override ushort Prefetch => 4;

    protected override async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Deserialize<MailRequested>(delivery.Body.Span, JsonSerializerOptions.Web);
        if (message is null)
        {
            LogMalformed(logger, delivery.BasicProperties.MessageId);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, cancellationToken);
            return;
        }

        var mail = MailOutbox.Read(dataProtection, message);
        await sender.SendAsync(mail, cancellationToken);
        LogSent(logger, mail.Subject, delivery.BasicProperties.MessageId);
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped a malformed mail message (message id {MessageId})")]
    private static partial void LogMalformed(ILogger logger, string? messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent mail '{Subject}' (message id {MessageId})")]
    private static partial void LogSent(ILogger logger, string subject, string? messageId);
}
