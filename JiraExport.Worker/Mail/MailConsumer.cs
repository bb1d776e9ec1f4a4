using JiraExport.Core.Mail;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using JiraExport.Core.Storage;
using JiraExport.Core.Tenancy;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace JiraExport.Worker.Mail;

/// <summary>
/// Takes mails from <c>jx.mail</c> and sends them. A server that does not answer hands the message back to be tried again
/// (<see cref="OnFailedAsync"/>); one that refuses it for good, or the last attempt, parks it, so a mail is never dropped
/// silently. Sending twice is possible (at least once).
/// A scheduled report's mail attaches its file from the artifact store, and tells its run that it was sent or given up.
/// </summary>
public sealed partial class MailConsumer(
    IConnection connection,
    SmtpMailSender sender,
    IDataProtectionProvider dataProtection,
    IServiceScopeFactory scopes,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<MailConsumer> logger) : QueueConsumer<MailRequested>(connection, publisher, options, logger)
{
    protected override string QueueName => MessagingTopology.MailQueue;

    protected override ushort Prefetch => 4;

    protected override async Task<Settlement> HandleAsync(MailRequested message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var mail = MailOutbox.Read(dataProtection, message);
        if (mail.Report is not { } report)
        {
            await sender.SendAsync(mail, attachment: null, cancellationToken);
        }
        else
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(report.TenantId);
            var db = scope.ServiceProvider.GetRequiredService<JiraExportDbContext>();
            await db.InTransactionAsync(async ct =>
            {
                // A mail the relay published twice, or that was sent before a crash and recorded: sent once, counted once.
                if (await db.HasProcessedAsync(delivery.MessageId, ScheduledReports.MailConsumerName, ct))
                {
                    return false;
                }

                if (report.AttachExportId is { } exportId)
                {
                    // The file is read from the store as it is sent: a report of any size never sits in the queue.
                    var opened = await scope.ServiceProvider.GetRequiredService<IExportArtifactStore>().OpenReadAsync(exportId, ct)
                        ?? throw new InvalidOperationException($"The file of export {exportId} is gone; the mail cannot attach it.");
                    await using var content = opened.Content;
                    await sender.SendAsync(mail, (opened.File.FileName, opened.File.ContentType, content), ct);
                }
                else
                {
                    await sender.SendAsync(mail, attachment: null, ct);
                }

                await scope.ServiceProvider.GetRequiredService<ScheduledReports>().MailSentAsync(report.RunId, ct);
                db.MarkProcessed(delivery.MessageId, ScheduledReports.MailConsumerName, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
        }

        LogSent(Logger, mail.Subject, delivery.MessageId);
        return Settlement.Ack;
    }

    /// <summary>
    /// A refusal for good (a 5xx answer) is not tried again; anything else (a server away, a 4xx) is, after 1, 2, 4 and 8
    /// seconds, until the last delivery the queue allows. Given up, the reason carries the server's last answer.
    /// </summary>
    protected override Task<Settlement> OnFailedAsync(MailRequested message, QueueDelivery delivery, Exception failure, CancellationToken cancellationToken)
    {
        var attempts = delivery.Deliveries + 1;
        var refused = failure is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 };
        return Task.FromResult(refused || attempts >= Messaging.DeliveryLimit
            ? Settlement.Park($"The mail was not sent after {attempts} attempt{(attempts == 1 ? "" : "s")}; the mail server's last answer: {Answer(failure)}")
            : Settlement.Requeue(TimeSpan.FromSeconds(Math.Min(30, 1 << delivery.Deliveries))));
    }

    /// <summary>What the server said about this mail; how the platform reaches its server (hosts, ports) stays out.</summary>
    private static string Answer(Exception failure) => failure switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        _ => "the mail server could not be reached or broke off the conversation.",
    };

    protected override string DeliveryLimitReason(MailRequested message) =>
        $"The mail was not sent after {Messaging.DeliveryLimit} attempts; see the earlier failures for the mail server's answers.";

    protected override async Task GiveUpAsync(MailRequested message, QueueDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        if (MailOutbox.Read(dataProtection, message) is { Report: { } report } mail)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(report.TenantId);
            await scope.ServiceProvider.GetRequiredService<JiraExportDbContext>().InTransactionAsync(async ct =>
            {
                await scope.ServiceProvider.GetRequiredService<ScheduledReports>().MailGivenUpAsync(report.RunId, mail.To, reason, ct);
                return true;
            }, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent mail '{Subject}' (message id {MessageId})")]
    private static partial void LogSent(ILogger logger, string subject, Guid messageId);
}
