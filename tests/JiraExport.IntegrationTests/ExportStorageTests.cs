using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Export files in the artifact store: streamed downloads with ranges and entity tags, retention that deletes files and
/// leaves the export (410 Gone), deleting a file by hand, and the storage quota at request time and at the job's end.
/// </summary>
public sealed class ExportStorageTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private const int ChunkSize = 1 << 20;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RangesAcrossStoredPiecesAnswer206AndAnUnsatisfiableRangeAnswers416()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (id, _, _) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = "key = DELTA-2", ["format"] = "csv", ["source"] = "live" }, Token);
        // A file of two full pieces and a short third, so ranges cross the pieces' edges.
        var content = await ReplaceFileAsync(id, [ChunkSize, ChunkSize, 100]);

        using var full = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", Token);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("bytes", Assert.Single(full.Headers.AcceptRanges));
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(content))}\"", full.Headers.ETag?.Tag);
        Assert.False(full.Headers.ETag!.IsWeak);
        Assert.Equal(content.Length, full.Content.Headers.ContentLength);
        Assert.Equal(content, await full.Content.ReadAsByteArrayAsync(Token));

        var (first, firstRange) = await GetRangeAsync(tenant, id, "bytes=0-9");
        Assert.Equal(content[..10], first);
        Assert.Equal($"bytes 0-9/{content.Length}", firstRange);

        var (across, acrossRange) = await GetRangeAsync(tenant, id, $"bytes={ChunkSize - 5}-{(2 * ChunkSize) + 4}");
        Assert.Equal(content[(ChunkSize - 5)..((2 * ChunkSize) + 5)], across);
        Assert.Equal($"bytes {ChunkSize - 5}-{(2 * ChunkSize) + 4}/{content.Length}", acrossRange);

        var (suffix, suffixRange) = await GetRangeAsync(tenant, id, "bytes=-50");
        Assert.Equal(content[^50..], suffix);
        Assert.Equal($"bytes {content.Length - 50}-{content.Length - 1}/{content.Length}", suffixRange);

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{id}/file");
        unsatisfiable.Headers.Range = new RangeHeaderValue(content.Length + 10, null);
        using var refused = await tenant.Client.SendAsync(unsatisfiable, Token);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal($"bytes */{content.Length}", refused.Content.Headers.ContentRange?.ToString());

        // Several ranges: RFC 9110 lets a server send the whole representation instead.
        using var several = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{id}/file");
        several.Headers.TryAddWithoutValidation("Range", "bytes=0-1,5-6");
        using var whole = await tenant.Client.SendAsync(several, Token);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content.Length, (await whole.Content.ReadAsByteArrayAsync(Token)).Length);
    }

    [Fact]
    public async Task TheEntityTagAnswersIfNoneMatchWith304AndIfRangeDecidesBetweenPartAndWhole()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (id, file, content) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = "key = DELTA-2", ["format"] = "json", ["source"] = "live" }, Token);
        var etag = file.Headers.ETag!;
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(content))}\"", etag.Tag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{id}/file");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await tenant.Client.SendAsync(conditional, Token);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Token));

        using var current = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{id}/file");
        current.Headers.Range = new RangeHeaderValue(0, 4);
        current.Headers.IfRange = new RangeConditionHeaderValue(etag);
        using var part = await tenant.Client.SendAsync(current, Token);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(content[..5], await part.Content.ReadAsByteArrayAsync(Token));

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{id}/file");
        stale.Headers.Range = new RangeHeaderValue(0, 4);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"another-version\""));
        using var whole = await tenant.Client.SendAsync(stale, Token);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task AFilePastItsRetentionIsDeletedTheExportStaysExpiredAndItsDownloadIsGone()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var (id, _, _) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = "key = DELTA-2", ["format"] = "csv", ["source"] = "live" }, Token);
        var export = await tenant.GetExportJsonAsync(id, Token);
        var completedAt = export.GetProperty("completedAt").GetDateTimeOffset();
        Assert.Equal(completedAt.AddDays(30), export.GetProperty("expiresAt").GetDateTimeOffset());

        // The tenant shortens its retention: stored files follow, counted from their completion.
        using var patch = await tenant.Client.PatchAsJsonAsync("/api/v1/tenant", new { exportRetentionDays = 7 }, Token);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(7, (await patch.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("settings").GetProperty("exportRetentionDays").GetInt32());
        Assert.Equal(completedAt.AddDays(7), (await tenant.GetExportJsonAsync(id, Token)).GetProperty("expiresAt").GetDateTimeOffset());

        // Time passes: the retention ends, and the Worker's sweep deletes the file.
        await system.ExecuteAsOwnerAsync("UPDATE exports SET expires_at = now() - interval '1 minute' WHERE id = @id", new Dictionary<string, object> { ["id"] = id }, Token);
        var expired = await tenant.WaitForExportAsync(id, e => e.Status == "expired", TimeSpan.FromSeconds(60), Token);
        Assert.Equal(export.GetProperty("fileName").GetString(), expired.FileName);

        using var gone = await tenant.Client.GetAsync($"/api/v1/exports/{id}/file", Token);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Export file expired", (await gone.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("title").GetString());
        Assert.Equal(0L, await CountAsOwnerAsync("SELECT count(*) FROM export_file_chunks WHERE export_id = @id", id));
        Assert.Equal(0L, await CountAsOwnerAsync("SELECT count(*) FROM export_files WHERE export_id = @id", id));
    }

    [Fact]
    public async Task ATenantAtItsStorageQuotaIsRefusedNewExportsAJobThatWouldPassItFailsAndDeletingAFileMakesRoom()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await SetStoragePlanAsync(tenant.TenantId, maxStoredMegabytes: 1);
        var (first, _, _) = await tenant.ExportAndDownloadAsync(new() { ["jql"] = "key = DELTA-2", ["format"] = "csv", ["source"] = "live" }, Token);

        // Just under the limit: the request is taken, but the job's file would pass the limit, so the job fails.
        await SetStoredSizeAsync(first, 999_990);
        var second = await tenant.RequestExportAsync(new() { ["jql"] = "key = DELTA-3", ["format"] = "csv", ["source"] = "live" }, Token);
        var failed = await tenant.WaitForExportToFinishAsync(second, Token);
        Assert.Equal("failed", failed.Status);
        Assert.StartsWith("Storage quota exceeded: the file of ", failed.Error);
        Assert.Contains("The tenant's stored files take 999,990 bytes of the plan's 1,000,000.", failed.Error);

        // At the limit: refused before anything is queued, saying which quota, how much is used and how to free space.
        await SetStoredSizeAsync(first, 1_000_000);
        using var refused = await tenant.Client.PostAsJsonAsync("/api/v1/exports",
            new { connectionId = tenant.ConnectionId, jql = "key = DELTA-3", format = "csv" }, Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(("stored-megabytes", 1_000_000L, 1_000_000L),
            (problem.GetProperty("quota").GetString(), problem.GetProperty("usedBytes").GetInt64(), problem.GetProperty("limitBytes").GetInt64()));
        Assert.Contains("DELETE /api/v1/exports/{id}/file", problem.GetProperty("detail").GetString());
        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token);
        Assert.Equal((1_000_000L, 1_000_000L), (usage.GetProperty("storedBytes").GetInt64(), usage.GetProperty("storageLimitBytes").GetInt64()));

        using var deleted = await tenant.Client.DeleteAsync($"/api/v1/exports/{first}/file", Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("expired", (await tenant.GetExportAsync(first, Token)).Status);
        Assert.Equal(0L, (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/tenant/usage", Token)).GetProperty("storedBytes").GetInt64());
        var third = await tenant.RequestExportAsync(new() { ["jql"] = "key = DELTA-3", ["format"] = "csv", ["source"] = "live" }, Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(third, Token)).Status);
    }

    private static async Task<(byte[] Body, string? ContentRange)> GetRangeAsync(TestTenant tenant, Guid id, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{id}/file");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await tenant.Client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(Token), response.Content.Headers.ContentRange?.ToString());
    }

    /// <summary>Replaces the export's stored file with pieces of the given sizes (each a different byte pattern) and returns its content.</summary>
    private async Task<byte[]> ReplaceFileAsync(Guid id, int[] pieces)
    {
        var content = new byte[pieces.Sum()];
        var offset = 0;
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await using (var delete = new NpgsqlCommand("DELETE FROM export_file_chunks WHERE export_id = @id", connection, transaction))
        {
            delete.Parameters.AddWithValue("id", id);
            await delete.ExecuteNonQueryAsync(Token);
        }

        for (var index = 0; index < pieces.Length; index++)
        {
            var piece = content.AsSpan(offset, pieces[index]);
            for (var i = 0; i < piece.Length; i++)
            {
                piece[i] = (byte)((i * 7) + index);
            }

            await using var insert = new NpgsqlCommand(
                "INSERT INTO export_file_chunks (export_id, chunk_index, tenant_id, data) SELECT @id, @index, tenant_id, @data FROM export_files WHERE export_id = @id",
                connection, transaction);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("index", index);
            insert.Parameters.AddWithValue("data", piece.ToArray());
            Assert.Equal(1, await insert.ExecuteNonQueryAsync(Token));
            offset += pieces[index];
        }

        await using (var update = new NpgsqlCommand("UPDATE export_files SET size_bytes = @size, sha256 = @sha WHERE export_id = @id", connection, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("size", (long)content.Length);
            update.Parameters.AddWithValue("sha", Convert.ToHexStringLower(SHA256.HashData(content)));
            await update.ExecuteNonQueryAsync(Token);
        }

        await transaction.CommitAsync(Token);
        return content;
    }

    /// <summary>A real file is a few hundred bytes; its recorded size is raised rather than storing megabytes.</summary>
    private Task SetStoredSizeAsync(Guid id, long bytes) => system.ExecuteAsOwnerAsync(
        "UPDATE export_files SET size_bytes = @size WHERE export_id = @id", new Dictionary<string, object> { ["id"] = id, ["size"] = bytes }, Token);

    private async Task<long> CountAsOwnerAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(system.OwnerConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    private async Task SetStoragePlanAsync(Guid tenantId, int maxStoredMegabytes)
    {
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        using var response = await admin.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/plan", new
        {
            name = "small-storage", maxConnections = 10, maxExportsPerDay = 100, maxStoredMegabytes, maxApiRequestsPerMinute = 10_000,
        }, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
