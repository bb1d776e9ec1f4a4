using System.Text;
using System.Text.Json;
using JiraExport.Core.Messaging;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>RabbitMQ as the services use it: confirmed, mandatory publishes.</summary>
public sealed class MessagingTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnroutableMessageIsAnErrorNotASilentSuccess()
    {
        await using var connection = await system.ConnectToMessagingAsync(Token);
        await using var publisher = new RabbitMqPublisher(connection);
        var body = Encoding.UTF8.GetBytes("{}");

        // Routable: the broker confirms it.
        await publisher.PublishAsync(MessagingTopology.EventsExchange, $"{Guid.NewGuid():N}.export.progress", Guid.NewGuid(), "Probe",
            body, headers: null, parentTraceId: null, Token);

        var unroutable = await Assert.ThrowsAsync<PublishReturnException>(() => publisher.PublishAsync(
            MessagingTopology.WorkExchange, "no-such-queue", Guid.NewGuid(), "Probe", body, headers: null, parentTraceId: null, Token));
        Assert.True(unroutable.IsReturn);
        Assert.Contains("NO_ROUTE", unroutable.Message);
    }

    [Fact]
    public async Task OutboxRowThatCannotBeRoutedIsSetAsideAndDoesNotBlockTheRest()
    {
        var poisonId = Guid.NewGuid();
        await system.ExecuteAsOwnerAsync(
            "INSERT INTO outbox_messages (id, exchange, routing_key, type, payload, created_at, publish_attempts) " +
            "VALUES (@id, 'jx.work', 'no-such-queue', 'Probe', '{}', now() - interval '1 minute', 0)",
            new Dictionary<string, object> { ["id"] = poisonId }, Token);

        // The job queued behind the unroutable row still runs.
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = await tenant.RequestExportAsync("key = BETA-9", Token);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(exportId, Token)).Status);

        await using var check = new NpgsqlConnection(system.OwnerConnectionString);
        await check.OpenAsync(Token);
        await using var query = new NpgsqlCommand("SELECT sent_at IS NULL, publish_attempts, last_error FROM outbox_messages WHERE id = @id", check);
        query.Parameters.AddWithValue("id", poisonId);
        await using var reader = await query.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));
        Assert.True(reader.GetBoolean(0));
        Assert.Equal(JiraExportSystem.OutboxMaxPublishAttempts, reader.GetInt32(1));
        Assert.Contains("NO_ROUTE", reader.GetString(2));
    }

    [Fact]
    public async Task JobThatKeptCrashingTheWorkerIsFailedAndParkedInsteadOfTriedAgain()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var exportId = Guid.NewGuid();
        await system.ExecuteAsOwnerAsync(
            "INSERT INTO exports (id, tenant_id, connection_id, jql, format, template, status, progress, attempts, created_at) " +
            "VALUES (@id, @tenant, @connection, 'key = BETA-1', 'pdf', 'issue-list', 'Running', 0, 5, now())",
            new Dictionary<string, object> { ["id"] = exportId, ["tenant"] = tenant.TenantId, ["connection"] = tenant.ConnectionId }, Token);

        // As the quorum queue hands it out after five deliveries that each ended with the Worker gone.
        await using var rabbit = await system.ConnectToMessagingAsync(Token);
        await using var publisher = new RabbitMqPublisher(rabbit);
        await publisher.PublishAsync(MessagingTopology.WorkExchange, MessagingTopology.ExportJobsRoutingKey, Guid.NewGuid(), nameof(ExportRequested),
            JsonSerializer.SerializeToUtf8Bytes(new ExportRequested(tenant.TenantId, exportId), JsonSerializerOptions.Web),
            new Dictionary<string, object?> { ["x-delivery-count"] = 5 }, parentTraceId: null, Token);

        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);
        Assert.Equal("failed", export.Status);
        Assert.Contains("given up after 5 attempts", export.Error);

        Assert.Contains(exportId.ToString(), await system.TakeParkedJobAsync(Token));
    }
}
