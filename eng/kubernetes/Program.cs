using JiraExport.Kubernetes;

// Kubernetes objects from the Aspire manifest (Aspire.Hosting.Kubernetes is not obtainable here):
//   dotnet run --project eng/kubernetes -- deploy/aspire-manifest.json deploy/kubernetes
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run --project eng/kubernetes -- <aspire-manifest.json> <output folder>");
    return 2;
}

var manifest = AspireManifest.Load(args[0]);
var files = new DeploymentGenerator(manifest, DeploymentSettings.Default).Generate();
Directory.CreateDirectory(args[1]);
foreach (var file in files)
{
    File.WriteAllText(Path.Combine(args[1], file.Name), file.Content);
}

Console.WriteLine($"Wrote {files.Count} files to {args[1]}.");
return 0;
