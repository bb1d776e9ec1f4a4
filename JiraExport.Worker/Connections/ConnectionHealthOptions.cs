using System.ComponentModel.DataAnnotations;

namespace JiraExport.Worker.Connections;

/// <summary>How often the Worker checks each connection's health ("ConnectionHealth" section).</summary>
public sealed class ConnectionHealthOptions
{
    public const string SectionName = "ConnectionHealth";

    /// <summary>A connection is checked again when its last check is older than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Connections checked per round; the rest wait for the next round, oldest check first.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;
}
