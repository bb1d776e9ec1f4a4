using System.Text;
using JiraExport.Core.Messaging;
using JiraExport.IntegrationTests.Infrastructure;
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

}
