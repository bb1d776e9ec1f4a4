using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record ExportState(
    Guid Id, string Status, int Progress, int? IssueCount, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    string? FileName, long? SizeBytes);

/// <summary>The REST calls the tests make about exports, with waits that fail with the last state seen.</summary>
public static class ExportClient
{
    public static async Task<Guid> RequestExportAsync(this TestTenant tenant, string jql, CancellationToken cancellationToken, string? title = null)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql, format = "pdf", template = "issue-list", title }, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<ExportState>(cancellationToken))!;
        Assert.Equal($"/api/v1/exports/{accepted.Id}", response.Headers.Location?.ToString());
        return accepted.Id;
    }

    public static async Task<ExportState> GetExportAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken) =>
        (await tenant.Client.GetFromJsonAsync<ExportState>($"/api/v1/exports/{id}", cancellationToken))!;

    public static async Task<ExportState> WaitForExportAsync(
        this TestTenant tenant, Guid id, Func<ExportState, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ExportState? last = null;
        try
        {
            while (true)
            {
                last = await tenant.GetExportAsync(id, deadline.Token);
                if (until(last))
                {
                    return last;
                }

                await Task.Delay(200, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Export {id} did not reach the expected state within {timeout}; last seen: {last}");
        }
    }

    public static Task<ExportState> WaitForExportToFinishAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken) =>
        tenant.WaitForExportAsync(id, e => e.Status is "succeeded" or "failed", TimeSpan.FromMinutes(3), cancellationToken);
}
