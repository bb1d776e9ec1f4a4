using JiraExport.ServiceDefaults;

namespace JiraExport.Worker.Mail;

/// <summary>Says once, at start, that no mail server is configured, so queued mails wait rather than go anywhere.</summary>
public sealed partial class MailUnconfiguredNotice(ILogger<MailUnconfiguredNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogUnconfigured(logger, ResourceNames.Mail);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No ConnectionStrings:{Name}: mails (invitations, verifications) wait in jx.mail until a Worker with a mail server takes them")]
    private static partial void LogUnconfigured(ILogger logger, string name);
}
