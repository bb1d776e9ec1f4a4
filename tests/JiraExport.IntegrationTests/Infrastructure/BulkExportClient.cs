using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record BulkSummary(string SplitBy, string Package, int? Parts, int? Succeeded, int? Failed, int? Cancelled);

public sealed record BulkExportState(Guid Id, string Status, int Progress, int? IssueCount, string? Error, string? FileName, long? SizeBytes, BulkSummary? Bulk);

public sealed record BulkPartState(Guid Id, int Ordinal, string? Title, string Jql, string Status, int? IssueCount, string? Error, string? FileName);

/// <summary>The REST calls and database reads the bulk export tests make.</summary>
public static class BulkExportClient
{
    public static async Task<Guid> RequestBulkExportAsync(this TestTenant tenant, object body, CancellationToken cancellationToken)
    {
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/exports/bulk", body, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(cancellationToken));
        var accepted = (await response.Content.ReadFromJsonAsync<ExportState>(cancellationToken))!;
        Assert.Equal($"/api/v1/exports/{accepted.Id}", response.Headers.Location?.ToString());
        return accepted.Id;
    }

    public static async Task<BulkExportState> GetBulkExportAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken) =>
        (await tenant.Client.GetFromJsonAsync<BulkExportState>($"/api/v1/exports/{id}", cancellationToken))!;

    public static async Task<List<BulkPartState>> GetPartsAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken) =>
        (await tenant.Client.GetFromJsonAsync<PartPage>($"/api/v1/exports/{id}/parts?limit=500", cancellationToken))!.Items;

    /// <summary>Waits for the bulk export to end (succeeded, failed or cancelled); bulk runs render many documents, hence the long wait.</summary>
    public static async Task<BulkExportState> WaitForBulkExportAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken)
    {
        await tenant.WaitForExportAsync(id, e => e.Status is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(5), cancellationToken);
        return await tenant.GetBulkExportAsync(id, cancellationToken);
    }

    public static async Task<ZipArchive> DownloadZipAsync(this TestTenant tenant, Guid id, CancellationToken cancellationToken)
    {
        using var response = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        return new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(cancellationToken)), ZipArchiveMode.Read);
    }

    public static async Task<byte[]> ReadEntryAsync(this ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        await using var stream = await entry.OpenAsync(cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>A count as the database owner sees it (past row-level security), for what the Api does not show.</summary>
    public static async Task<long> CountAsOwnerAsync(this JiraExportSystem system, string sql, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the bulk export has at least <paramref name="count"/> parts that succeeded.</summary>
    public static async Task WaitForSucceededPartsAsync(this JiraExportSystem system, Guid parentId, int count, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        long seen = 0;
        try
        {
            while ((seen = await system.CountAsOwnerAsync(
                "SELECT count(*) FROM exports WHERE parent_export_id = @id AND status = 'Succeeded'", parentId, deadline.Token)) < count)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Bulk export {parentId} had {seen} finished parts, not {count}, within two minutes.");
        }
    }

    private sealed record PartPage(List<BulkPartState> Items, string? NextCursor);
}
