using System.Net;
using System.Net.Sockets;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a real server, so a test can take the server away from a service and give it back:
/// while down, open connections are cut and new ones are refused at once, as when the server's host goes away.
/// </summary>
public sealed class TcpOutageProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private TcpListener _listener;
    private Task _accepting;

    public TcpOutageProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost), targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_listener);
    }

    public int Port { get; }

    public bool IsDown { get; private set; }

    /// <summary>Cuts every relayed connection and refuses new ones until <see cref="RestoreAsync"/>.</summary>
    public async Task CutAsync()
    {
        IsDown = true;
        _listener.Stop();
        await _accepting;
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public Task RestoreAsync()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync(_listener);
        IsDown = false;
        return Task.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // The listener was stopped: an outage, or the end of the test.
            }

            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (_gate)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(_target, _stopping.Token);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), _stopping.Token);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stopping.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut connection ends its relay; the service on the other side sees the failure, which is the point.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await CutAsync();
        _stopping.Dispose();
    }
}
