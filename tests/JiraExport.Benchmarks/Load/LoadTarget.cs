namespace JiraExport.Benchmarks.Load;

/// <summary>
/// The system under load: its gateways (a client picks one by its number, as a load balancer in front of them would),
/// the platform operator's key, the Jira simulator it syncs from, and the database owner (to make the people who sign in).
/// </summary>
internal sealed record LoadTarget(IReadOnlyList<Uri> Gateways, string AdminKey, Uri Jira, string OwnerDatabase)
{
    public Uri GatewayFor(int client) => Gateways[client % Gateways.Count];

    public HttpClient CreateClient(int client, HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = GatewayFor(client), Timeout = TimeSpan.FromMinutes(2) };
}
