using k8s;
using k8s.Models;

namespace JiraExport.Kubernetes;

/// <summary>A generated file: its name in the output folder and its YAML.</summary>
internal sealed record GeneratedFile(string Name, string Content);

/// <summary>
/// From the manifest's projects: per service a Deployment (probes, requests, rolling update that never goes below the
/// replica count), its Service and metrics Service, an autoscaler, a disruption budget and a network policy; per one-shot
/// command a Job; a ConfigMap of deployment settings, a default-deny policy, an example Secret naming every key the
/// objects read, and the kustomization that lists them.
/// </summary>
internal sealed class DeploymentGenerator(AspireManifest manifest, DeploymentSettings settings)
{
    private const string PartOf = "jiraexport";
    private const string Header = "# Generated from deploy/aspire-manifest.json by eng/kubernetes (README: Kubernetes); do not edit by hand.\n";
    private readonly EnvironmentResolver _environment = new(manifest, settings);

    public IReadOnlyList<GeneratedFile> Generate()
    {
        // Environments first: they say which service calls which, and which secret keys exist.
        var projects = manifest.Projects.Select(p => (Project: p, Environment: _environment.Resolve(p))).ToList();
        var files = projects
            .Select(p => new GeneratedFile($"{p.Project.Name}.yaml", Yaml(p.Project.IsCommand ? [Job(p.Project, p.Environment)] : Service(p.Project, p.Environment))))
            .ToList();
        files.Add(new GeneratedFile("settings.yaml", Yaml([SettingsConfigMap(), DefaultDeny()])));
        files.Add(new GeneratedFile("secret.example.yaml", Yaml([ExampleSecret()])));
        files.Add(new GeneratedFile("kustomization.yaml", Header + Kustomization(files, projects.Select(p => p.Project))));
        return files;
    }

    private IEnumerable<IKubernetesObject> Service(ProjectResource project, IList<V1EnvVar> environment)
    {
        var name = project.Name;
        var labels = Labels(name);
        var metricsPort = project.Bindings.Contains("metrics") ? _environment.Port(project, "metrics") : (int?)null;
        var ports = new List<V1ContainerPort> { new() { Name = "http", ContainerPort = settings.HttpPort } };
        if (metricsPort is int metrics)
        {
            ports.Add(new V1ContainerPort { Name = "metrics", ContainerPort = metrics });
        }

        var (cpu, memoryMi) = settings.RequestsOf(name);
        var behindGateway = !project.IsExternal && _environment.Calls.Any(c => c.To == name);
        if (behindGateway)
        {
            environment = [.. environment, new V1EnvVar
            {
                Name = "ForwardedHeaders__KnownNetworks__0",
                ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = settings.SettingsConfigMapName, Key = settings.PodNetworkKey } },
            }];
        }

        yield return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(name),
            Spec = new V1DeploymentSpec
            {
                Replicas = settings.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Selector(name) },
                // One new pod at a time, and never fewer ready than asked: each old one drains before it goes.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = settings.TerminationGracePeriodSeconds,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = name,
                                Image = Image(project),
                                Ports = ports,
                                EnvFrom = [SettingsReference()],
                                Env = environment,
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new($"{memoryMi}Mi") },
                                    // Room for a burst, and a bound before a leak takes the node's memory.
                                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new($"{memoryMi * 2}Mi") },
                                },
                                SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false },
                                // Ready: every dependency answers, and not draining (Shutdown:DrainDelay). Live: the process answers.
                                ReadinessProbe = Probe("/health", periodSeconds: 5, failureThreshold: 2),
                                LivenessProbe = Probe("/alive", periodSeconds: 10, failureThreshold: 3),
                                StartupProbe = Probe("/alive", periodSeconds: 2, failureThreshold: 60),
                            },
                        ],
                    },
                },
            },
        };

        if (project.IsExternal || behindGateway)
        {
            yield return new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Metadata(name),
                Spec = new V1ServiceSpec
                {
                    // The public entry point gets an address outside the cluster; TLS ends at that load balancer (or an Ingress),
                    // which keeps the client's address (Local) so per-address limits and the audit trail see the client.
                    Type = project.IsExternal ? "LoadBalancer" : "ClusterIP",
                    ExternalTrafficPolicy = project.IsExternal ? "Local" : null,
                    // A hub client's negotiation and its socket must reach the same Realtime pod: each client stays on one
                    // gateway pod, and each gateway pod on one Realtime pod (the gateway's cookie cannot pick pods behind a Service).
                    SessionAffinity = settings.ClientAffinity.Contains(name) ? "ClientIP" : null,
                    Selector = Selector(name),
                    Ports = [new V1ServicePort { Name = "http", Port = project.IsExternal ? 80 : settings.HttpPort, TargetPort = "http" }],
                },
            };
        }

        if (metricsPort is int scrape)
        {
            // Headless: Prometheus finds every ready pod by DNS (deploy/prometheus/prometheus.yml).
            yield return new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Metadata($"{name}-metrics", app: name),
                Spec = new V1ServiceSpec
                {
                    ClusterIP = "None",
                    Selector = Selector(name),
                    Ports = [new V1ServicePort { Name = "metrics", Port = scrape, TargetPort = "metrics" }],
                },
            };
        }

        yield return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = Metadata(name),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
                MinReplicas = settings.Replicas,
                MaxReplicas = settings.MaxReplicas,
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = settings.TargetCpuUtilization },
                        },
                    },
                ],
            },
        };

        // A node drain or cluster upgrade takes at most one pod of the service at a time.
        yield return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = Metadata(name),
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = Selector(name) } },
        };

        yield return NetworkPolicy(project, metricsPort);
    }

    /// <summary>
    /// Who may reach the service: anyone for the public entry point, otherwise only the services whose manifest entry
    /// references its address; Prometheus on the scrape port. Everything else is denied (<see cref="DefaultDeny"/>).
    /// </summary>
    private V1NetworkPolicy NetworkPolicy(ProjectResource project, int? metricsPort)
    {
        var rules = new List<V1NetworkPolicyIngressRule>();
        var callers = _environment.Calls.Where(c => c.To == project.Name).Select(c => c.From).Distinct().Order(StringComparer.Ordinal).ToList();
        if (project.IsExternal)
        {
            rules.Add(new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = "http", Protocol = "TCP" }] });
        }
        else if (callers.Count > 0)
        {
            rules.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [.. callers.Select(caller => new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Selector(caller) } })],
                Ports = [new V1NetworkPolicyPort { Port = "http", Protocol = "TCP" }],
            });
        }

        if (metricsPort is not null)
        {
            rules.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = settings.MonitoringNamespace } },
                        PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" } },
                    },
                ],
                Ports = [new V1NetworkPolicyPort { Port = "metrics", Protocol = "TCP" }],
            });
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = Metadata(project.Name),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Selector(project.Name) },
                PolicyTypes = ["Ingress"],
                Ingress = rules,
            },
        };
    }

    /// <summary>A one-shot command (the migrations): run to completion before a new version of the services rolls out.</summary>
    private V1Job Job(ProjectResource project, IList<V1EnvVar> environment) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = Metadata(project.Name),
        Spec = new V1JobSpec
        {
            BackoffLimit = 4,
            ActiveDeadlineSeconds = 900,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels(project.Name) },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "OnFailure",
                    SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true },
                    Containers =
                    [
                        new V1Container
                        {
                            Name = project.Name,
                            Image = Image(project),
                            Args = [.. project.Args],
                            EnvFrom = [SettingsReference()],
                            Env = environment,
                            SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false },
                        },
                    ],
                },
            },
        },
    };

    private V1ConfigMap SettingsConfigMap() => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Metadata(settings.SettingsConfigMapName),
        Data = new Dictionary<string, string>
        {
            // Where people and Jira reach the gateway (TLS ends in front of it); replace with the deployment's own.
            [settings.PublicBaseUrlKey] = "https://jiraexport.example.com",
            // The pod network: the services behind the gateway believe X-Forwarded-For from it (their network policy lets
            // only the gateway in). The gateway itself believes no one: its load balancer keeps the client's address.
            [settings.PodNetworkKey] = "10.0.0.0/8",
        },
    };

    /// <summary>Every container reads the deployment's settings (the ConfigMap's keys are variable names).</summary>
    private V1EnvFromSource SettingsReference() =>
        new() { ConfigMapRef = new V1ConfigMapEnvSource { Name = settings.SettingsConfigMapName } };

    private static V1NetworkPolicy DefaultDeny() => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = Metadata("default-deny-ingress"),
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = PartOf } },
            PolicyTypes = ["Ingress"],
        },
    };

    /// <summary>Every key the objects read from the Secret, with a placeholder: the deployment creates the real one (never committed).</summary>
    private V1Secret ExampleSecret() => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(settings.SecretName),
        Type = "Opaque",
        StringData = _environment.SecretKeys.ToDictionary(key => key, key => $"<{key}>"),
    };

    private static string Kustomization(IEnumerable<GeneratedFile> files, IEnumerable<ProjectResource> projects)
    {
        var resources = files.Where(f => f.Name is not ("secret.example.yaml" or "kustomization.yaml")).Select(f => $"  - {f.Name}");
        var images = projects.Select(Image).Distinct().Select(image => $"  - name: {image}\n    newTag: latest");
        return $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
            {string.Join('\n', resources)}
            # Set the registry and tag a release pushed (dotnet publish /t:PublishContainer per project).
            images:
            {string.Join('\n', images)}

            """;
    }

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = 3,
    };

    private static string Image(ProjectResource project) => project.ProjectName.ToLowerInvariant().Replace('.', '-');

    private static Dictionary<string, string> Selector(string name) => new() { ["app.kubernetes.io/name"] = name };

    private static Dictionary<string, string> Labels(string name) => new()
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/part-of"] = PartOf,
    };

    private static V1ObjectMeta Metadata(string name, string? app = null) => new() { Name = name, Labels = Labels(app ?? name) };

    private static string Yaml(IEnumerable<IKubernetesObject> objects) => Header + KubernetesYaml.SerializeAll(objects);
}
