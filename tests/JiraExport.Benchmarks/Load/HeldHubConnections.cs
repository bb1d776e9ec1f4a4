using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace JiraExport.Benchmarks.Load;

/// <summary>What holding many SignalR connections showed.</summary>
internal sealed record HeldHubFigures(
    int Opened, int ConnectedAtEnd, int Established, IReadOnlyList<ProcessUse> Processes, int Heard, int Missed, TimeSpan WorstSpread);

/// <summary>
/// Many SignalR connections through the gateways, each subscribed to its person's tenant, held for a while; then one
/// export per tenant, which every connection of that tenant must hear. WebSockets without the negotiate request (as
/// the JS client's <c>skipNegotiation</c>): one socket per connection, so the figures are of held connections.
/// </summary>
internal static class HeldHubConnections
{
    public static async Task<HeldHubFigures> HoldAsync(LoadTarget target, IReadOnlyList<SignedInPerson> people,
        int count, TimeSpan ramp, TimeSpan hold, IReadOnlyList<DeploymentProcess> processes, StepTimings timings, CancellationToken cancellationToken)
    {
        var heard = new long[count];
        var connections = new HubConnection?[count];
        var started = Stopwatch.GetTimestamp();
        var opened = 0;
        using var parallel = new SemaphoreSlim(64);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await Task.Delay(ramp * i / count, cancellationToken);
                var person = people[i % people.Count];
                var hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(target.GatewayFor(i), "/hubs/exports"), options =>
                    {
                        options.SkipNegotiation = true;
                        options.Transports = HttpTransportType.WebSockets;
                        options.AccessTokenProvider = () => Task.FromResult<string?>(person.AccessToken);
                    })
                    .Build();
                // Time since the start of the phase; compared across connections of one tenant.
                hub.On<JsonElement>("exportCompleted", _ => Interlocked.CompareExchange(ref heard[i], Stopwatch.GetTimestamp() - started, 0));
                connections[i] = hub;
                await parallel.WaitAsync(cancellationToken);
                try
                {
                    await timings.TimeAsync("open + subscribe (held hub connection)", async () =>
                    {
                        await hub.StartAsync(cancellationToken);
                        await hub.InvokeAsync<long>("SubscribeToTenant", cancellationToken);
                    });
                    Interlocked.Increment(ref opened);
                }
                catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or InvalidOperationException or HubException
                                           or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Counted by the step.
                }
                finally
                {
                    parallel.Release();
                }
            }));

            await Task.Delay(hold, cancellationToken);
            var established = OpenSockets.EstablishedTo(target.Gateways.Select(g => g.Port));
            var connectedAtEnd = connections.Count(c => c?.State == HubConnectionState.Connected);
            var use = ProcessUse.Take(processes);

            // One export per tenant; every connection of the tenant hears its completion.
            var tenants = people.Select(p => p.Tenant).Distinct().ToArray();
            await Task.WhenAll(tenants.Select(async tenant =>
            {
                using var client = target.CreateClient(tenant.Number);
                client.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
                await timings.TimeAsync("export for every connection of a tenant", async () =>
                    await LoadFixture.ReadAsync(await client.PostAsJsonAsync("/api/v1/exports",
                        new { connectionId = tenant.ConnectionId, jql = LoadFixture.Jql, format = "csv" }, cancellationToken), cancellationToken));
            }));
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 120;
            while (heard.Count(t => t != 0) < connectedAtEnd && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }

            var worstSpread = Enumerable.Range(0, count).Where(i => heard[i] != 0).GroupBy(i => people[i % people.Count].Tenant)
                .Select(g => Stopwatch.GetElapsedTime(g.Min(i => heard[i]), g.Max(i => heard[i]))).DefaultIfEmpty().Max();
            return new HeldHubFigures(opened, connectedAtEnd, established, use, heard.Count(t => t != 0), count - heard.Count(t => t != 0), worstSpread);
        }
        finally
        {
            await Task.WhenAll(connections.OfType<HubConnection>().Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
