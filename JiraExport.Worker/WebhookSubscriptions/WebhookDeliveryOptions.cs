using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.WebhookSubscriptions;

/// <summary>How the Worker sends tenants' webhooks ("WebhookDelivery" section).</summary>
public sealed class WebhookDeliveryOptions
{
    public const string SectionName = "WebhookDelivery";

    /// <summary>How often the Worker looks for deliveries due: the most a new event waits before its first attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries taken per round at most; the next round takes the rest.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Deliveries of one tenant taken per round at most, so one tenant's backlog cannot crowd out the others'.</summary>
    [Range(1, 1_000)]
    public int PerTenant { get; set; } = 4;

    /// <summary>Deliveries sent at once, so one slow receiver does not hold up the others.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 16;

    /// <summary>How long a receiver has to answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The default waits before each retry, as Standard Webhooks senders do: 8 attempts over about 27 hours.
    /// </summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// The waits before each retry (each ±20 % at random, so receivers that failed together are not hit together again).
    /// After the last, the delivery fails and its subscription is disabled. Empty here and defaulted after binding
    /// (<see cref="DefaultRetryDelays"/>), because the configuration binder appends to an array instead of replacing it.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>Whether receivers on private or local networks are sent to: for local runs and tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }
}
