namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// The system as the AppHost wires it for traffic: two Api and two Realtime instances (the base system's and one more
/// each) behind the gateway, which knows them by service name as Aspire's service discovery passes them. All are real
/// processes, so a test can restart one gracefully while the others serve.
/// </summary>
public sealed class GatewaySystem : JiraExportSystem
{
    /// <summary>Each service's project; its name is also the gateway's cluster for it.</summary>
    private static readonly Dictionary<string, string> Projects = new()
    {
        ["api"] = "JiraExport.Api",
        ["realtime"] = "JiraExport.Realtime",
    };

    private readonly Dictionary<string, ServiceProcess> _instances = [];

    public ServiceProcess Gateway { get; private set; } = null!;

    /// <summary>As the AppHost configures them locally: the Api trusts what the gateway (on loopback 127.0.0.1) says of the client.</summary>
    protected override IReadOnlyDictionary<string, string> SharedEnvironment { get; } = new Dictionary<string, string>
    {
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        ["ForwardedHeaders__KnownNetworks__0"] = "127.0.0.1/32",
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _instances["api-1"] = Api;
        _instances["realtime-1"] = Realtime;
        _instances["api-2"] = await StartInstanceAsync("api-2", port: null, timeout.Token);
        _instances["realtime-2"] = await StartInstanceAsync("realtime-2", port: null, timeout.Token);
        Gateway = await ServiceProcess.StartAsync("JiraExport.Gateway", GatewayEnvironment(), timeout.Token);
    }

    /// <summary>What the AppHost gives the gateway: each instance's address under its service name, and the clusters' destinations by those names.</summary>
    private Dictionary<string, string> GatewayEnvironment()
    {
        var environment = new Dictionary<string, string>();
        foreach (var (name, instance) in _instances)
        {
            environment[$"services__{name}__http__0"] = instance.BaseAddress.ToString();
            environment[$"ReverseProxy__Clusters__{Service(name)}__Destinations__{name}__Address"] = $"https+http://{name}";
        }

        return environment;
    }

    public HttpClient CreateGatewayClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>
    /// Stops the instance as an orchestrator would (SIGTERM), checks that it left cleanly, and starts it again on the same
    /// port; returns once the new process is healthy.
    /// </summary>
    public async Task RestartGracefullyAsync(string name, CancellationToken cancellationToken)
    {
        var instance = _instances[name];
        var exitCode = await instance.StopAsync(cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{name} exited with {exitCode} when asked to stop:\n{instance.RecentOutput}");
        }

        _instances[name] = await StartInstanceAsync(name, instance.BaseAddress.Port, cancellationToken);
        await instance.DisposeAsync();
    }

    private Task<ServiceProcess> StartInstanceAsync(string name, int? port, CancellationToken cancellationToken)
    {
        var service = Service(name);
        var environment = service == "api" ? ApiEnvironment() : RealtimeEnvironment();
        return ServiceProcess.StartAsync(Projects[service], environment, cancellationToken, port);
    }

    private static string Service(string instanceName) => instanceName[..instanceName.LastIndexOf('-')];

    public override async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        // The base system disposes the instances it started; restarted ones and the second instances are these.
        foreach (var instance in _instances.Values.Where(i => i != Api && i != Realtime))
        {
            await instance.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
