using JiraExport.ServiceDefaults;
using System.Diagnostics.Metrics;

namespace JiraExport.Api.Identity;

/// <summary>Security events as a counter, so alerts can fire on a burst of failed sign-ins or token reuse.</summary>
public sealed class IdentityMetrics
{
    private readonly Counter<long> _securityEvents;

    public IdentityMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Identity);
        _securityEvents = meter.CreateCounter<long>("jiraexport.security.events", description: "Security events by type");
    }

    public void SecurityEvent(string type) => _securityEvents.Add(1, new KeyValuePair<string, object?>("type", type));
}
