namespace JiraExport.Core.Domain;

public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last sequence number handed to a domain event of this tenant; bumped under a row lock.</summary>
    public long LastEventSequence { get; set; }
}
