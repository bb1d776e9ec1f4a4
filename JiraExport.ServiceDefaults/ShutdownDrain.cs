using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraExport.ServiceDefaults;

/// <summary>
/// Takes the instance out of rotation before it stops. Told to stop, it turns <c>/health</c> unhealthy at once and holds
/// the host for <see cref="ShutdownOptions.DrainDelay"/> while the server still answers; only then does the server stop
/// accepting, finish the requests in flight, and the background services stop. <c>/alive</c> stays healthy throughout,
/// so nothing restarts an instance for leaving.
/// </summary>
internal sealed partial class ShutdownDrain(IOptions<ShutdownOptions> options, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _draining;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(_draining
            ? HealthCheckResult.Unhealthy("Shutting down: this instance takes no new work.")
            : HealthCheckResult.Healthy());

    /// <summary>Runs before any hosted service (the server among them) is asked to stop.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        LogDraining(logger, options.Value.DrainDelay);
        await Task.Delay(options.Value.DrainDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: /health answers 503 for {DrainDelay} before the server stops taking requests")]
    private static partial void LogDraining(ILogger logger, TimeSpan drainDelay);
}
