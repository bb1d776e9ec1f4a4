using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Webhooks;

/// <summary>The dynamic webhooks of OAuth connections ("DynamicWebhooks" section).</summary>
public sealed class DynamicWebhookOptions
{
    public const string SectionName = "DynamicWebhooks";

    /// <summary>
    /// Where Jira reaches the Api's webhook intake (the gateway's public address); without it no dynamic webhook is
    /// registered, and OAuth connections keep to syncs.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How often the Worker looks for webhooks to register or refresh.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A webhook is refreshed once less than this is left of its 30 days: well before it expires, many rounds ahead.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "29.00:00:00")]
    public TimeSpan RefreshWhenLeft { get; set; } = TimeSpan.FromDays(20);

    /// <summary>How long a connection whose registration failed waits before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Connections handled per round; the rest wait for the next.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 50;
}
