namespace JiraExport.Worker.Sync;

/// <summary>Names this Worker process in leases: unique per start, so a restarted Worker never mistakes a dead one's lease for its own.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}
