using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace JiraExport.Kubernetes;

/// <summary>
/// Turns a project's manifest environment into container variables. Placeholders become literals (another service's
/// address inside the cluster), Secret references (parameters marked secret, connection strings) or ConfigMap references
/// (the public address), so no secret value is ever written into a generated file.
/// </summary>
internal sealed partial class EnvironmentResolver(AspireManifest manifest, DeploymentSettings settings)
{
    private readonly SortedSet<string> _secretKeys = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To)> _calls = [];

    /// <summary>Every key of the Secret the generated objects read: what a deployment must provide.</summary>
    public IReadOnlySet<string> SecretKeys => _secretKeys;

    /// <summary>Which service calls which (one referenced another's HTTP address): the allowed paths of the network policies.</summary>
    public IReadOnlySet<(string From, string To)> Calls => _calls;

    public IList<V1EnvVar> Resolve(ProjectResource project)
    {
        var helpers = new List<V1EnvVar>();
        var variables = new List<V1EnvVar>();
        var referenced = project.Environment.Select(e => ReferenceName().Match(e.Key)).Where(m => m.Success)
            .Select(m => m.Groups[1].Value.ToUpperInvariant().Replace('-', '_') + "_").ToHashSet();
        foreach (var (name, template) in project.Environment)
        {
            if (UpperSnake().IsMatch(name) && referenced.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            if (IsUnderscoreAlias(name, project.Environment.Select(e => e.Key)))
            {
                continue;
            }

            var parts = Placeholder().Split(template);
            var tokens = Placeholder().Matches(template).Select(m => ResolveToken(project.Name, m.Groups[1].Value, m.Groups[2].Value)).ToList();
            if (tokens.Any(t => t is Token.Dropped))
            {
                continue;
            }

            if (tokens is [var only] && parts is ["", _, _, ""] && only is not Token.Literal)
            {
                variables.Add(new V1EnvVar { Name = name, ValueFrom = Source(only) });
                continue;
            }

            // Literal text around references: each reference becomes a variable defined earlier, expanded as $(NAME).
            var value = new StringBuilder();
            for (var i = 0; i < parts.Length; i += 3)
            {
                value.Append(parts[i]);
                if (i / 3 < tokens.Count)
                {
                    value.Append(tokens[i / 3] switch
                    {
                        Token.Literal literal => literal.Value,
                        var reference => $"$({Helper(reference, helpers)})",
                    });
                }
            }

            variables.Add(new V1EnvVar { Name = name, Value = value.ToString() });
        }

        return [.. helpers, .. variables];
    }

    private Token ResolveToken(string owner, string resource, string path)
    {
        var type = manifest.TypeOf(resource);
        switch (path.Split('.'))
        {
            case ["connectionString"] when type is "parameter.v0" or "value.v0" or "container.v0":
                return Secret(resource);
            case ["value"] when type == "parameter.v0":
                return manifest.IsSecretParameter(resource) ? Secret(resource) : new Token.FromConfigMap(resource);
            case ["bindings", _, _] when type == "container.v0":
                // A server the deployment provides (PostgreSQL, Redis, RabbitMQ): the services reach it by its connection string.
                return new Token.Dropped();
            case ["bindings", var binding, "targetPort"] when type == "project.v0":
                return new Token.Literal(Port(manifest.Project(resource), binding).ToString(System.Globalization.CultureInfo.InvariantCulture));
            case ["bindings", "https", "url"] when type == "project.v0":
                // TLS ends at the edge: the public address for the service outside reaches, nothing inside the cluster.
                return manifest.Project(resource).IsExternal ? new Token.FromConfigMap(settings.PublicBaseUrlKey) : new Token.Dropped();
            case ["bindings", "http", "url"] when type == "project.v0":
                _calls.Add((owner, resource));
                return new Token.Literal($"http://{resource}:{settings.HttpPort}");
            case ["bindings", var binding, "url"] when type == "project.v0":
                return new Token.Literal($"http://{resource}-{binding}:{Port(manifest.Project(resource), binding)}");
            default:
                throw new NotSupportedException($"{owner}: the placeholder {{{resource}.{path}}} ({type}) has no Kubernetes form yet; teach EnvironmentResolver.");
        }
    }

    public int Port(ProjectResource project, string binding) => binding switch
    {
        "http" => settings.HttpPort,
        _ => project.TargetPort(binding) ?? throw new NotSupportedException($"{project.Name}: binding {binding} names no target port."),
    };

    private Token.FromSecret Secret(string key)
    {
        _secretKeys.Add(key);
        return new Token.FromSecret(key);
    }

    private V1EnvVarSource Source(Token token) => token switch
    {
        Token.FromSecret secret => new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = settings.SecretName, Key = secret.Key } },
        Token.FromConfigMap config => new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = settings.SettingsConfigMapName, Key = config.Key } },
        _ => throw new InvalidOperationException($"{token} is not a reference."),
    };

    private string Helper(Token reference, List<V1EnvVar> helpers)
    {
        var key = reference switch
        {
            Token.FromSecret secret => secret.Key,
            Token.FromConfigMap config => config.Key,
            _ => throw new InvalidOperationException($"{reference} is not a reference."),
        };
        var name = key.ToUpperInvariant().Replace('-', '_');
        if (helpers.All(h => h.Name != name))
        {
            helpers.Add(new V1EnvVar { Name = name, ValueFrom = Source(reference) });
        }

        return name;
    }

    /// <summary>
    /// Aspire also writes a connection string whose name has a dash under the name with an underscore
    /// (<c>ConnectionStrings__jiraexportdb_app</c> beside <c>…jiraexportdb-app</c>); the services read the dashed one.
    /// </summary>
    private static bool IsUnderscoreAlias(string name, IEnumerable<string> names)
    {
        const string Prefix = "ConnectionStrings__";
        return name.StartsWith(Prefix, StringComparison.Ordinal) && name.IndexOf('_', Prefix.Length) >= 0
            && names.Contains(Prefix + name[Prefix.Length..].Replace('_', '-'), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\{([^{}.]+)\.([^{}]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// A reference as the .NET services read it. Aspire writes each reference twice: so, and as <c>X_HOST</c>, <c>X_URI</c>,
    /// <c>X_PASSWORD</c>… for other languages; the second form is left out.
    /// </summary>
    [GeneratedRegex("^(?:ConnectionStrings|services)__([^_]+(?:-[^_]+)*)")]
    private static partial Regex ReferenceName();

    [GeneratedRegex("^[A-Z0-9]+(_[A-Z0-9]+)+$")]
    private static partial Regex UpperSnake();

    private abstract record Token
    {
        public sealed record Literal(string Value) : Token;

        public sealed record FromSecret(string Key) : Token;

        public sealed record FromConfigMap(string Key) : Token;

        public sealed record Dropped : Token;
    }
}
