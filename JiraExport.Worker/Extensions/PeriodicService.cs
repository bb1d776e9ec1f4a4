namespace JiraExport.Worker.Extensions;

/// <summary>
/// A background job that runs one round at start and then every <see cref="Interval"/>. A failed round is logged and
/// the next one tries again, so each round must leave nothing half done.
/// </summary>
internal abstract partial class PeriodicService(TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => timeProvider;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunRoundAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(logger, GetType().Name, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of {Service} failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, string service, Exception exception);
}
