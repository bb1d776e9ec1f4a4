using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;

namespace JiraExport.Core.Messaging;

/// <summary>
/// Publishes with publisher confirms and <c>mandatory</c>: the returned task completes only when the broker
/// has the message, and an unroutable or refused message throws instead of vanishing.
/// </summary>
public sealed class RabbitMqPublisher(IConnection connection) : IAsyncDisposable
{
    private static readonly ActivitySource ActivitySource = new(ServiceDefaults.TelemetryNames.Messaging);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public async Task PublishAsync(
        string exchange, string routingKey, Guid messageId, string type, ReadOnlyMemory<byte> body,
        IDictionary<string, object?>? headers, string? parentTraceId, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(parentTraceId, null, out var parent);
        using var activity = ActivitySource.StartActivity($"{exchange} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        activity?.SetTag("messaging.message.id", messageId.ToString());

        var properties = new BasicProperties
        {
            MessageId = messageId.ToString(),
            Type = type,
            ContentType = "application/json",
            ContentEncoding = Encoding.UTF8.WebName,
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Headers = headers is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(headers),
        };
        if (activity is not null)
        {
            // W3C trace context travels in the headers so the consumer continues this trace.
            properties.Headers["traceparent"] = activity.Id;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        return _channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _gate.Dispose();
    }
}
