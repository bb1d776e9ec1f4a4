using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Retention;

/// <summary>
/// How long each tenant's records of what happened are kept ("DataRetention" section); events and their webhook
/// deliveries follow <c>EventLog:Retention</c>, the messaging tables <c>MessageRetention</c>.
/// </summary>
public sealed class DataRetentionOptions
{
    public const string SectionName = "DataRetention";

    /// <summary>
    /// Jira's deliveries once processed. Jira retries a delivery for about an hour and a half, and the intake refuses one
    /// over a day old, so two days is the least that still recognises every retry.
    /// </summary>
    [Range(typeof(TimeSpan), "2.00:00:00", "3650.00:00:00")]
    public TimeSpan JiraWebhookDeliveries { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Sign-ins, token reuse, MFA changes: a year and a month, so a yearly review sees a whole year.</summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "3650.00:00:00")]
    public TimeSpan SecurityEvents { get; set; } = TimeSpan.FromDays(400);

    /// <summary>A tenant's usage per day (what billing reads): two years.</summary>
    [Range(typeof(TimeSpan), "90.00:00:00", "3650.00:00:00")]
    public TimeSpan TenantUsage { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Usage per person and key: more than the 90 days <c>GET /tenant/usage/people</c> can ask for.</summary>
    [Range(typeof(TimeSpan), "91.00:00:00", "3650.00:00:00")]
    public TimeSpan PrincipalUsage { get; set; } = TimeSpan.FromDays(180);

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Tenants pruned per round; the rest are pruned the next.</summary>
    [Range(1, 100_000)]
    public int TenantsPerRound { get; set; } = 500;
}
