using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace JiraExport.IntegrationTests.Infrastructure;

public sealed record ExportNotification(
    Guid ExportId, string Status, int Progress, string? Message, long Sequence, int? IssueCount, string? FileName, long? SizeBytes);

/// <summary>A real SignalR client on <c>/hubs/exports</c> that records every export event it receives.</summary>
public sealed class ExportEventListener : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<(string Method, ExportNotification Event)> _events = new();
    private readonly TaskCompletionSource<ExportNotification> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExportEventListener(HubConnection connection)
    {
        _connection = connection;
        // Wired before the connection starts: a server that closes at once is still seen.
        _connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        foreach (var method in new[] { "exportProgress", "exportCompleted", "exportFailed" })
        {
            _connection.On<ExportNotification>(method, notification =>
            {
                _events.Enqueue((method, notification));
                if (method != "exportProgress")
                {
                    _finished.TrySetResult(notification);
                }
            });
        }
    }

    public IReadOnlyList<(string Method, ExportNotification Event)> Events => _events.ToArray();

    public HubConnection Connection => _connection;

    /// <summary>Completes when the connection closes, with the error the server closed it with (null for a clean close).</summary>
    public Task<Exception?> Closed => _closed.Task;

    public static Task<ExportEventListener> ConnectAsync(Uri realtime, string apiKey, CancellationToken cancellationToken) =>
        ConnectAsync(realtime, options => options.Headers["X-Api-Key"] = apiKey, cancellationToken);

    /// <summary>Connects as a browser would with a user's access token: bearer on negotiate, access_token on the socket.</summary>
    public static Task<ExportEventListener> ConnectWithAccessTokenAsync(Uri realtime, string accessToken, CancellationToken cancellationToken) =>
        ConnectAsync(realtime, options => options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken), cancellationToken);

    private static async Task<ExportEventListener> ConnectAsync(
        Uri realtime, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> authenticate, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(realtime, "/hubs/exports"), authenticate)
            .Build();
        var listener = new ExportEventListener(connection);
        await connection.StartAsync(cancellationToken);
        return listener;
    }

    public async Task<ExportNotification> WaitForFinishAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _finished.Task.WaitAsync(timeout, cancellationToken);

    /// <summary>The end of export <paramref name="exportId"/>, when another export's end has arrived before it.</summary>
    public async Task<ExportNotification> WaitForFinishOfAsync(Guid exportId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (_events.FirstOrDefault(e => e.Method != "exportProgress" && e.Event.ExportId == exportId) is { Event: { } finished })
            {
                return finished;
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Export {exportId} did not finish within {timeout}; {_events.Count} events arrived.");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
