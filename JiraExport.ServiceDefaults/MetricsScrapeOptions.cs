namespace JiraExport.ServiceDefaults;

/// <summary>
/// Where a service answers Prometheus (<c>GET /metrics</c>): a port of its own, apart from the public one. Unset, a
/// service serves no scrape endpoint. The AppHost sets it from each service's <c>metrics</c> endpoint.
/// </summary>
public sealed class MetricsScrapeOptions
{
    public const string SectionName = "Metrics";

    public int? Port { get; set; }

    /// <summary>The address to listen on: <c>+</c> (every interface, as in a pod) unless set, e.g. to loopback locally.</summary>
    public string Host { get; set; } = "+";
}
