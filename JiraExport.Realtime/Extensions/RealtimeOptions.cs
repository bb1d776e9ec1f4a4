using System.ComponentModel.DataAnnotations;

namespace JiraExport.Realtime.Extensions;

/// <summary>The Realtime service's settings ("Realtime" section), in one place.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>Prefix of the Redis keys and channels, shared by every instance of a deployment.</summary>
    public string RedisChannelPrefix { get; set; } = "jx";

    /// <summary>How often an open connection's credential is checked again (logout, revocation, a suspended tenant…).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RevalidateInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A client renews its presence well within this (every 30 s); an instance that dies leaves its entries to expire.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PresenceTtl { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often the dashboard counters of watched tenants are read, and sent when they changed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan DashboardInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The origins whose pages may connect from a browser (the Api's, which serves the dashboard page). Clients send
    /// their token in a header, never a cookie, so no credentials are allowed across origins.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}
