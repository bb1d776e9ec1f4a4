namespace JiraExport.Kubernetes;

/// <summary>What the manifest does not say and a deployment needs: sizes, counts and the names of what it provides.</summary>
internal sealed record DeploymentSettings(
    int Replicas,
    int MaxReplicas,
    int TargetCpuUtilization,
    int HttpPort,
    string SecretName,
    string SettingsConfigMapName,
    string PublicBaseUrlKey,
    string PodNetworkKey,
    string MonitoringNamespace,
    IReadOnlySet<string> ClientAffinity,
    int TerminationGracePeriodSeconds,
    IReadOnlyDictionary<string, (string Cpu, int MemoryMi)> Requests,
    (string Cpu, int MemoryMi) DefaultRequests)
{
    public static DeploymentSettings Default { get; } = new(
        Replicas: 2,
        MaxReplicas: 6,
        TargetCpuUtilization: 70,
        // The port ASP.NET Core's container images listen on (HTTP_PORTS).
        HttpPort: 8080,
        SecretName: "jiraexport-secrets",
        SettingsConfigMapName: "jiraexport-settings",
        PublicBaseUrlKey: "PUBLIC_BASE_URL",
        PodNetworkKey: "POD_NETWORK",
        // Where Prometheus runs: only its pods there may read the scrape ports.
        MonitoringNamespace: "monitoring",
        // SignalR negotiates, then opens its socket: both must reach the same Realtime pod.
        ClientAffinity: new HashSet<string> { "gateway", "realtime" },
        // Shutdown:DrainDelay (5 s) + Shutdown:GracePeriod (25 s), and time to exit.
        TerminationGracePeriodSeconds: 40,
        // The Worker renders PDFs in Chromium.
        Requests: new Dictionary<string, (string, int)> { ["worker"] = ("500m", 1024) },
        DefaultRequests: ("250m", 256));

    public (string Cpu, int MemoryMi) RequestsOf(string service) => Requests.TryGetValue(service, out var requests) ? requests : DefaultRequests;
}
