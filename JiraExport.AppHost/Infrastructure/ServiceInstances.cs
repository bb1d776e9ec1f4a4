namespace JiraExport.AppHost.Infrastructure;

/// <summary>
/// One service run as several instances. Locally each instance is a resource of its own (<c>api-1</c>, <c>api-2</c>) on a
/// loopback port of its own that nothing proxies: the gateway balances across them, so the load path never passes through
/// the orchestrator's development proxy, which under load once took every process down with it. Published, the service is
/// one resource (<c>api</c>) that the deployment runs that many times.
/// </summary>
internal sealed class ServiceInstances(string name, IReadOnlyList<IResourceBuilder<ProjectResource>> instances)
{
    /// <summary>The service's name: the Prometheus job, the gateway's cluster.</summary>
    public string Name => name;

    public IReadOnlyList<IResourceBuilder<ProjectResource>> Instances => instances;

    /// <summary>Applies the same wiring to every instance.</summary>
    public ServiceInstances Configure(Action<IResourceBuilder<ProjectResource>> configure)
    {
        foreach (var instance in instances)
        {
            configure(instance);
        }

        return this;
    }
}

internal static class ServiceInstancesExtensions
{
    public static ServiceInstances AddServiceInstances<TProject>(this IDistributedApplicationBuilder builder, string name, int count)
        where TProject : IProjectMetadata, new()
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new ServiceInstances(name, [builder.AddProject<TProject>(name).WithReplicas(count)]);
        }

        return new ServiceInstances(name, [.. Enumerable.Range(1, count).Select(index => builder.AddProject<TProject>($"{name}-{index}").WithDirectEndpoint())]);
    }

    /// <summary>
    /// Locally, the public endpoint without the orchestrator's proxy in front: on the port its launch profile names (the
    /// gateway's well-known address), or else on a free loopback port of its own (each instance behind the gateway).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDirectEndpoint(this IResourceBuilder<ProjectResource> project, bool launchProfilePort = false)
    {
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return project;
        }

        return project.WithEndpoint("http", endpoint =>
        {
            var port = launchProfilePort && endpoint.Port is int named ? named : HostProcessInfrastructure.FreeLoopbackPort();
            endpoint.Port = port;
            endpoint.TargetPort = port;
            endpoint.IsProxied = false;
        });
    }

    /// <summary>
    /// Puts every instance of <paramref name="service"/> behind the gateway's cluster of the same name, each destination a
    /// service name that service discovery resolves (the gateway's routes live in its own appsettings.json).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCluster(this IResourceBuilder<ProjectResource> gateway, ServiceInstances service)
    {
        foreach (var instance in service.Instances)
        {
            gateway.WithReference(instance)
                .WithEnvironment($"ReverseProxy__Clusters__{service.Name}__Destinations__{instance.Resource.Name}__Address",
                    $"https+http://{instance.Resource.Name}");
            if (gateway.ApplicationBuilder.ExecutionContext.IsRunMode)
            {
                // Locally the gateway opens for traffic once every instance behind it can answer.
                gateway.WaitFor(instance);
            }
        }

        return gateway;
    }
}
