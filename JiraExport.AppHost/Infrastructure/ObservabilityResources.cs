using System.Globalization;
using System.Text;

namespace JiraExport.AppHost.Infrastructure;

/// <summary>
/// Each service's Prometheus scrape endpoint (<c>metrics</c>, a port of its own), and locally Debian's Prometheus scraping
/// them with the alert rules of <c>deploy/prometheus/alerts.yml</c>. A deployment brings its own Prometheus and finds the
/// endpoints by their port name (see <c>deploy/prometheus/prometheus.yml</c>).
/// </summary>
internal static class ObservabilityResources
{
    public const string MetricsEndpointName = "metrics";
    public const string PrometheusResourceName = "prometheus";

    /// <summary>The scrape port in a container, the Prometheus exporters' customary one.</summary>
    private const int DeployedMetricsPort = 9464;

    public static IResourceBuilder<ProjectResource> WithMetricsEndpoint(this IResourceBuilder<ProjectResource> service)
    {
        if (service.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return service.WithHttpEndpoint(targetPort: DeployedMetricsPort, name: MetricsEndpointName, env: "Metrics__Port");
        }

        // Locally on loopback, at a port known now, so the Prometheus configuration below can name it.
        var port = HostProcessInfrastructure.FreeLoopbackPort();
        return service
            .WithHttpEndpoint(port: port, targetPort: port, name: MetricsEndpointName, env: "Metrics__Port", isProxied: false)
            .WithEnvironment("Metrics__Host", "127.0.0.1");
    }

    /// <summary>Prometheus from the machine's package (<c>eng/bootstrap.sh</c> installs it), run mode only.</summary>
    public static void AddPrometheus(this IDistributedApplicationBuilder builder, params ServiceInstances[] services)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var directory = Path.GetFullPath(Path.Combine(builder.Configuration["Infrastructure:DataDirectory"]
            ?? Path.Combine(repositoryRoot, ".data", "host"), PrometheusResourceName));
        Directory.CreateDirectory(directory);
        var configuration = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(configuration, Configuration(Path.Combine(repositoryRoot, "deploy", "prometheus", "alerts.yml"), services));

        var port = HostProcessInfrastructure.FreeLoopbackPort();
        var serversDirectory = Path.Combine(repositoryRoot, "eng", "servers");
        builder.AddExecutable(PrometheusResourceName, "bash", serversDirectory,
                Path.Combine(serversDirectory, "prometheus.sh"), port.ToString(CultureInfo.InvariantCulture), Path.Combine(directory, "data"), configuration)
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
            .WithHttpHealthCheck("/-/ready")
            .ExcludeFromManifest();
    }

    /// <summary>One job per service (named as the alert rules expect), a target per instance at its loopback scrape port.</summary>
    private static string Configuration(string rules, IEnumerable<ServiceInstances> services)
    {
        var yaml = new StringBuilder($"""
            global:
              scrape_interval: 15s
              evaluation_interval: 15s
            rule_files:
              - '{rules}'
            scrape_configs:

            """);
        foreach (var service in services)
        {
            var targets = service.Instances.Select(instance =>
                $"'127.0.0.1:{instance.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == MetricsEndpointName).Port}'");
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  - job_name: {service.Name}
                    static_configs:
                      - targets: [{string.Join(", ", targets)}]

                """);
        }

        return yaml.ToString();
    }
}
