using System.Text.Json.Nodes;

namespace JiraExport.Kubernetes;

/// <summary>The resources of an Aspire manifest (<c>deploy/aspire-manifest.json</c>), as the generator reads them.</summary>
internal sealed class AspireManifest(JsonObject resources)
{
    public static AspireManifest Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))?["resources"]?.AsObject()
            ?? throw new InvalidOperationException($"{path} has no resources."));

    /// <summary>The .NET projects: the services and one-shot commands the deployment runs.</summary>
    public IEnumerable<ProjectResource> Projects => resources
        .Where(r => r.Value?["type"]?.GetValue<string>() == "project.v0")
        .Select(r => new ProjectResource(r.Key, r.Value!.AsObject()));

    public string TypeOf(string name) =>
        resources[name]?["type"]?.GetValue<string>() ?? throw new InvalidOperationException($"The manifest has no resource {name}.");

    public bool IsSecretParameter(string name) => resources[name]?["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true;

    public ProjectResource Project(string name) => Projects.Single(p => p.Name == name);
}

/// <summary>One project resource: its arguments, environment and endpoints (bindings).</summary>
internal sealed record ProjectResource(string Name, JsonObject Resource)
{
    public IReadOnlyList<string> Args => Resource["args"]?.AsArray().Select(a => a!.GetValue<string>()).ToList() ?? [];

    public IEnumerable<KeyValuePair<string, string>> Environment =>
        Resource["env"]?.AsObject().Select(e => KeyValuePair.Create(e.Key, e.Value!.GetValue<string>())) ?? [];

    public IEnumerable<string> Bindings => Resource["bindings"]?.AsObject().Select(b => b.Key) ?? [];

    /// <summary>The project file's name without extension (<c>JiraExport.Worker</c>): one image per project.</summary>
    public string ProjectName => Path.GetFileNameWithoutExtension(Resource["path"]!.GetValue<string>());

    public bool IsExternal => Resource["bindings"]?.AsObject().Any(b => b.Value?["external"]?.GetValue<bool>() == true) == true;

    public int? TargetPort(string binding) => Resource["bindings"]?[binding]?["targetPort"]?.GetValue<int>();

    /// <summary>Started with arguments, a project is a one-shot command (the migrations), not a service.</summary>
    public bool IsCommand => Args.Count > 0;
}
