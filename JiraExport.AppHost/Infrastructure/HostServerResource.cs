namespace JiraExport.AppHost.Infrastructure;

/// <summary>
/// A server started from the machine's own binaries (no Docker): an executable that also offers a connection
/// string, so services reference it exactly as they would the container resource of the same name.
/// </summary>
public sealed class HostServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public ReferenceExpression ConnectionStringExpression { get; set; } = ReferenceExpression.Create($"");

    public EndpointReference Endpoint => new(this, EndpointName);
}
