namespace JiraExport.ServiceDefaults;

/// <summary>How an instance leaves when told to stop (SIGTERM: a rolling restart, a scale-in, a node drain).</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>
    /// How long <c>/health</c> answers 503 while the instance still serves, before it stops taking requests: longer than
    /// the gateway's health probes (or Kubernetes' readiness probe) take to move traffic away.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long, after the drain, the requests, SignalR connections and messages in hand get to finish before they are
    /// abandoned (an abandoned message goes back to its queue). A deployment's termination grace period must exceed
    /// <see cref="DrainDelay"/> plus this.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(25);
}
