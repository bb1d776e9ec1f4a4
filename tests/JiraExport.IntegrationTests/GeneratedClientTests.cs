using JiraExport.Client;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>The C# client generated from docs/api/v2.json, used as an integrator would: connect, export, download, fail.</summary>
public sealed class GeneratedClientTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheGeneratedClientConnectsExportsAndDownloadsAPdf()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var http = system.CreateApiClient(tenant.ApiKey);
        var client = new JiraExportClient(http);

        var connection = await client.CreateConnectionAsync(Guid.NewGuid().ToString(), new CreateConnectionRequest
        {
            Name = "Simulator via the client",
            BaseUrl = system.SimulatorAddress.ToString(),
            Deployment = "cloud",
            Auth = new ConnectionAuthRequest { Type = "basic", Email = "demo@example.com", ApiToken = "sim-api-token" },
        }, Token);
        var listed = await client.ListConnectionsAsync(limit: 200, cursor: null, Token);
        Assert.Contains(listed.Items, c => c.Id == connection.Id);
        Assert.Contains($"/api/v2/connections/{connection.Id}", listed.Links.Items);

        var accepted = await client.RequestExportAsync(idempotency_Key: null, new CreateExportRequest
        {
            ConnectionId = connection.Id,
            Jql = "project = ALPHA ORDER BY key",
            Format = "pdf",
            Template = "issue-list",
            Title = "Alpha through the client",
        }, Token);
        var export = await client.GetExportAsync(accepted.Id, Token);
        for (var polls = 0; export.Status is "queued" or "running" && polls < 120; polls++)
        {
            await Task.Delay(500, Token);
            export = await client.GetExportAsync(accepted.Id, Token);
        }

        Assert.True(export.Status == "succeeded", $"{export.Status}: {export.Error}");
        using var file = await client.DownloadExportFileAsync(accepted.Id, Token);
        Assert.Equal(200, file.StatusCode);
        using var content = new MemoryStream();
        await file.Stream.CopyToAsync(content, Token);
        Assert.Equal("%PDF-"u8.ToArray(), content.ToArray()[..5]);
        Assert.Equal(export.SizeBytes, content.Length);
    }

    [Fact]
    public async Task TheGeneratedClientRaisesTheProblemWithItsType()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var http = system.CreateApiClient(tenant.ApiKey);
        var client = new JiraExportClient(http);

        var missing = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.GetExportAsync(Guid.NewGuid(), Token));
        Assert.Equal((404, "/problems/not-found"), (missing.StatusCode, missing.Result.Type));

        var invalid = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(
            () => client.ListExportsAsync(status: null, limit: 201, cursor: null, Token));
        Assert.Equal((400, "/problems/validation"), (invalid.StatusCode, invalid.Result.Type));
        Assert.Contains("limit", invalid.Result.Errors.Keys);
    }
}
