using System.Text.Json.Nodes;
using JiraExport.Api.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JiraExport.Api.OpenApi;

/// <summary>Examples of the contracts an integrator meets first: connecting a Jira site and running an export.</summary>
internal sealed class ContractExamples : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(CreateConnectionRequest)] = """
            {"name": "Acme Cloud", "baseUrl": "https://acme.atlassian.net", "deployment": "cloud",
             "auth": {"type": "basic", "email": "jira-bot@acme.example", "apiToken": "ATATT3x…"}}
            """,
        [typeof(ConnectionResponse)] = """
            {"id": "0193a5c1-7f4e-7b2a-9c1d-2f6e8a4b3c10", "name": "Acme Cloud", "baseUrl": "https://acme.atlassian.net",
             "failoverBaseUrls": [], "deployment": "cloud", "authType": "basic", "health": "healthy",
             "healthCheckedAt": "2026-12-01T09:30:00+00:00", "createdAt": "2026-12-01T09:29:58+00:00", "limits": null}
            """,
        [typeof(CreateExportRequest)] = """
            {"connectionId": "0193a5c1-7f4e-7b2a-9c1d-2f6e8a4b3c10", "jql": "project = ACME AND sprint in openSprints()",
             "format": "pdf", "template": "issue-list", "title": "Sprint 42 review"}
            """,
        [typeof(ExportAcceptedResponse)] = """{"id": "0193a5c2-0b1d-7c3e-8f2a-5d9e1c4b7a20", "status": "queued"}""",
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null && Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        return Task.CompletedTask;
    }
}
