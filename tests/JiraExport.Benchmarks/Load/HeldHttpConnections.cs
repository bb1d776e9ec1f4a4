using System.Net.Http.Headers;

namespace JiraExport.Benchmarks.Load;

/// <summary>
/// Many open HTTP connections through the gateways, each its own client (one connection, kept alive), each asking for
/// its person's exports every <see cref="Interval"/> while they are held: open connections that are used, as browsers
/// keep them, not just sockets.
/// </summary>
internal static class HeldHttpConnections
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opens <paramref name="count"/> connections over <paramref name="ramp"/> and holds them for <paramref name="hold"/>;
    /// answers how many were established at the end, and the processes' use then.
    /// </summary>
    public static async Task<(int Established, IReadOnlyList<ProcessUse> Processes)> HoldAsync(LoadTarget target, IReadOnlyList<SignedInPerson> people,
        int count, TimeSpan ramp, TimeSpan hold, IReadOnlyList<DeploymentProcess> processes, StepTimings timings, CancellationToken cancellationToken)
    {
        var clients = Enumerable.Range(0, count).Select(i =>
        {
            var client = target.CreateClient(i, new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                PooledConnectionIdleTimeout = ramp + hold + Interval,
            });
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", people[i % people.Count].AccessToken);
            return client;
        }).ToArray();
        try
        {
            var end = DateTimeOffset.UtcNow + ramp + hold;
            var established = 0;
            IReadOnlyList<ProcessUse> use = [];
            var loops = clients.Select(async (client, i) =>
            {
                await Task.Delay(ramp * i / count, cancellationToken);
                using var timer = new PeriodicTimer(Interval);
                do
                {
                    try
                    {
                        await timings.TimeAsync("GET /api/v1/exports (held connection)", async () =>
                            await LoadFixture.ReadAsync(await client.GetAsync("/api/v1/exports?limit=5", cancellationToken), cancellationToken));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        // Counted; the connection is opened again on the next tick.
                    }
                }
                while (DateTimeOffset.UtcNow + Interval < end && await timer.WaitForNextTickAsync(cancellationToken));
            }).ToList();
            loops.Add(Task.Run(async () =>
            {
                // Counted just before the first clients stop asking.
                await Task.Delay(end - DateTimeOffset.UtcNow - Interval / 2, cancellationToken);
                established = OpenSockets.EstablishedTo(target.Gateways.Select(g => g.Port));
                use = ProcessUse.Take(processes);
            }, cancellationToken));
            await Task.WhenAll(loops);
            return (established, use);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
