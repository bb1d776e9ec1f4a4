using System.Diagnostics.Metrics;
using JiraExport.Api.Extensions;
using JiraExport.ServiceDefaults;

namespace JiraExport.Api.Apis;

/// <summary>
/// Jira's deliveries as a counter by outcome: <c>accepted</c> (stored, work queued), <c>duplicate</c> (a retry already
/// stored) or <c>refused</c> (unsigned, unknown, too old or malformed), so an alert sees intake stop or refusals climb.
/// </summary>
public sealed class JiraWebhookMetrics
{
    private readonly Counter<long> _received;

    public JiraWebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.JiraWebhooks);
        _received = meter.CreateCounter<long>("jiraexport.jira_webhooks.received", unit: "{delivery}", description: "Jira webhook deliveries by outcome.");
    }

    public void Received(object? result)
    {
        var outcome = HttpResultStatus.Of(result) switch
        {
            StatusCodes.Status202Accepted => "accepted",
            StatusCodes.Status200OK => "duplicate",
            _ => "refused",
        };
        _received.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
