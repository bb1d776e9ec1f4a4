namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>One place where a response breaks its schema: the JSON path into the response, and what the spec wants there.</summary>
internal sealed record SchemaViolation(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
