namespace JiraExport.Core.Domain;

/// <summary>The rendered file of an export; one per export (the export id is the key).</summary>
public sealed class ExportFile
{
    public Guid ExportId { get; set; }
    public Guid TenantId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
