using System.ComponentModel.DataAnnotations;

namespace JiraExport.Realtime.Presence;

/// <summary>How long presence lasts without a renewal ("Realtime" section).</summary>
public sealed class PresenceOptions
{
    public const string SectionName = "Realtime";

    /// <summary>A client renews its presence well within this (every 30 s); an instance that dies leaves its entries to expire.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PresenceTtl { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Prefix of the Redis keys and channels, shared by every instance of a deployment.</summary>
    public string RedisChannelPrefix { get; set; } = "jx";
}
