using k8s;
using k8s.Models;
using Xunit;

namespace JiraExport.EndToEndTests;

/// <summary>
/// <c>deploy/kubernetes</c>: what the committed generator (<c>eng/kubernetes</c>) makes of the committed manifest, valid
/// against the Kubernetes schemas, and shaped so that a rolling update, a node drain or an attacker inside the cluster
/// finds the services as the gateway tests leave them.
/// </summary>
public sealed class KubernetesDeploymentTests
{
    private static readonly string Deploy = Path.Combine(Repository.Root, "deploy", "kubernetes");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static IEnumerable<string> ObjectFiles => Directory.GetFiles(Deploy, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal);

    [Fact]
    public async Task TheCommittedObjectsAreWhatTheGeneratorMakesOfTheCommittedManifest()
    {
        var output = Directory.CreateTempSubdirectory("jiraexport-kubernetes-");
        try
        {
            // Exactly the documented command.
            var (exitCode, log) = await Repository.RunAsync("dotnet",
                ["run", "--project", "eng/kubernetes", "--no-build", "--", "deploy/aspire-manifest.json", output.FullName], TimeSpan.FromMinutes(2), Token);
            Assert.True(exitCode == 0, log);

            var produced = Directory.GetFiles(output.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(Directory.GetFiles(Deploy, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal), produced);
            foreach (var file in produced)
            {
                Assert.True(File.ReadAllText(Path.Combine(Deploy, file!)) == File.ReadAllText(Path.Combine(output.FullName, file!)),
                    $"deploy/kubernetes/{file} differs from what eng/kubernetes generates: regenerate it (README: Kubernetes).");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EveryObjectPassesTheKubernetesSchemaOfItsKindAndABrokenOneDoesNot()
    {
        var documents = ObjectFiles.Sum(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true).Count);
        var (exitCode, output) = await ValidateAsync(ObjectFiles);
        Assert.True(exitCode == 0, output);
        Assert.Equal(documents, output.Split('\n').Count(line => line.StartsWith("valid ", StringComparison.Ordinal)));

        // The check can fail: a Deployment whose pod has no containers, and a port that is not a number.
        var broken = Path.Combine(Path.GetTempPath(), $"jiraexport-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: broken }
            spec:
              selector: { matchLabels: { app: broken } }
              template: { metadata: { labels: { app: broken } }, spec: {} }
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: broken }
            spec: { ports: [ { port: eighty } ] }
            """, Token);
        try
        {
            var (refused, report) = await ValidateAsync([broken]);
            Assert.Equal(1, refused);
            Assert.Equal(2, report.Split('\n').Count(line => line.StartsWith("INVALID ", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void EveryServiceRollsWithoutDippingBelowTwoDrainsBeforeItStopsAndLetsInOnlyWhoCallsIt()
    {
        // Strict: a field the Kubernetes API does not define fails here.
        var objects = ObjectFiles.SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true)).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        Assert.Equal(["api", "gateway", "realtime", "worker"], deployments.Keys.Order(StringComparer.Ordinal));

        foreach (var (name, deployment) in deployments)
        {
            var spec = deployment.Spec;
            Assert.Equal(2, spec.Replicas);
            Assert.Equal("0", spec.Strategy.RollingUpdate.MaxUnavailable.Value);
            Assert.All(spec.Selector.MatchLabels, label => Assert.Equal(label.Value, spec.Template.Metadata.Labels[label.Key]));
            var container = Assert.Single(spec.Template.Spec.Containers);
            Assert.Equal(("/health", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
            Assert.Equal(("/alive", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
            // Longer than Shutdown:DrainDelay plus Shutdown:GracePeriod (5 s + 25 s), or the kubelet kills work in hand.
            Assert.True(spec.Template.Spec.TerminationGracePeriodSeconds > 30, name);
            Assert.NotNull(container.Resources.Requests["cpu"]);
            Assert.NotNull(container.Resources.Limits["memory"]);

            Assert.Contains(objects.OfType<V2HorizontalPodAutoscaler>(), h => h.Spec.ScaleTargetRef.Name == name && h.Spec.MinReplicas >= 2);
            Assert.Contains(objects.OfType<V1PodDisruptionBudget>(), b => b.Metadata.Name == name && b.Spec.MaxUnavailable?.Value == "1");
            Assert.Contains(objects.OfType<V1Service>(), s => s.Metadata.Name == $"{name}-metrics" && s.Spec.ClusterIP == "None");
        }

        // Only the gateway is reachable from outside; the Api and Realtime only from the gateway; the Worker from no one.
        var services = objects.OfType<V1Service>().Where(s => s.Spec.ClusterIP != "None").ToDictionary(s => s.Metadata.Name);
        Assert.Equal("LoadBalancer", services["gateway"].Spec.Type);
        Assert.All(services.Values.Where(s => s.Metadata.Name != "gateway"), s => Assert.Equal("ClusterIP", s.Spec.Type));
        Assert.DoesNotContain("worker", services.Keys);
        var policies = objects.OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);
        Assert.Null(policies["default-deny-ingress"].Spec.Ingress);
        foreach (var service in new[] { "api", "realtime" })
        {
            var http = Assert.Single(policies[service].Spec.Ingress, rule => rule.Ports.Any(p => p.Port.Value == "http"));
            Assert.Equal("gateway", Assert.Single(http.FromProperty).PodSelector.MatchLabels["app.kubernetes.io/name"]);
        }

        Assert.DoesNotContain(policies["worker"].Spec.Ingress, rule => rule.Ports.Any(p => p.Port.Value == "http"));
        Assert.Null(Assert.Single(policies["gateway"].Spec.Ingress, rule => rule.Ports.Any(p => p.Port.Value == "http")).FromProperty);

        // The migrations run once per release, as a Job.
        var migrations = Assert.Single(objects.OfType<V1Job>());
        Assert.Equal(["migrate"], Assert.Single(migrations.Spec.Template.Spec.Containers).Args);
    }

    [Fact]
    public void NoSecretIsWrittenDownAndEveryOneReadIsNamedInTheExampleSecret()
    {
        var objects = ObjectFiles.SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true)).ToList();
        var example = Assert.Single(objects.OfType<V1Secret>());
        var variables = objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(objects.OfType<V1Job>().SelectMany(j => j.Spec.Template.Spec.Containers))
            .SelectMany(c => c.Env)
            .ToList();

        var read = variables.Where(v => v.ValueFrom?.SecretKeyRef is not null).Select(v => v.ValueFrom.SecretKeyRef).ToList();
        Assert.All(read, reference => Assert.Equal(example.Metadata.Name, reference.Name));
        Assert.Equal(read.Select(r => r.Key).ToHashSet(), example.StringData.Keys.ToHashSet());
        Assert.All(example.StringData, entry => Assert.Equal($"<{entry.Key}>", entry.Value));
        foreach (var key in new[] { "jiraexportdb-app", "redis", "messaging", "mail", "admin-key", "data-protection-certificate" })
        {
            Assert.Contains(key, example.StringData.Keys);
        }

        // Literal values are addresses and switches, never credentials or connection strings.
        Assert.All(variables.Where(v => v.Value is not null), v =>
        {
            Assert.DoesNotContain("Password=", v.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionStrings", v.Name, StringComparison.Ordinal);
        });
    }

    private static Task<(int ExitCode, string Output)> ValidateAsync(IEnumerable<string> files) =>
        Repository.RunAsync("node", [Path.Combine("eng", "kubernetes", "validate", "validate.mjs"), .. files], TimeSpan.FromMinutes(1), Token);
}
