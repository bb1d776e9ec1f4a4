using JiraExport.Core.Messaging;

namespace JiraExport.Core.Tests.Messaging;

public sealed class MessagingTopologyTests
{
    private static readonly Guid TenantId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Theory]
    [InlineData(1, "jx.exports.retry.1")]
    [InlineData(3, "jx.exports.retry.3")]
    public void RetryQueueIsNamedAfterTheExportsQueueAndAttempt(int attempt, string queue)
    {
        Assert.Equal(queue, MessagingTopology.RetryQueue(attempt));
    }

    [Fact]
    public void RetryRoutingKeyIsNamedAfterTheExportsRoutingKeyAndAttempt()
    {
        Assert.Equal("exports.retry.2", MessagingTopology.RetryRoutingKey(2));
    }

    [Fact]
    public void ExportProgressRoutingKeyIsTenantWithoutHyphensThenExportThenProgress()
    {
        var key = MessagingTopology.EventRoutingKey(TenantId, ExportEventTypes.Aggregate, ExportEventTypes.Progress);

        Assert.Equal("0f8fad5bd9cb469fa16570867728950e.export.progress", key);
        Assert.Equal($"{TenantId:N}.export.progress", key);
    }

    [Fact]
    public void EventRoutingKeyHasExactlyThreeTopicSegments()
    {
        // Topic bindings match whole dot-separated words, so each part must be exactly one word.
        foreach (var eventName in new[] { ExportEventTypes.Progress, ExportEventTypes.Completed, ExportEventTypes.Failed })
        {
            var segments = MessagingTopology.EventRoutingKey(TenantId, ExportEventTypes.Aggregate, eventName).Split('.');

            Assert.Equal([TenantId.ToString("N"), "export", eventName], segments);
        }
    }

    [Fact]
    public void ExchangeAndQueueNamesAreStable()
    {
        Assert.Equal("jx.events", MessagingTopology.EventsExchange);
        Assert.Equal("jx.work", MessagingTopology.WorkExchange);
        Assert.Equal("jx.retry", MessagingTopology.RetryExchange);
        Assert.Equal("jx.parking", MessagingTopology.ParkingExchange);
        Assert.Equal("jx.exports", MessagingTopology.ExportJobsQueue);
        Assert.Equal("jx.exports.parking", MessagingTopology.ExportJobsParkingQueue);
        Assert.Equal("jx.realtime", MessagingTopology.RealtimeQueue);
        Assert.Equal("exports", MessagingTopology.ExportJobsRoutingKey);
    }
}
