using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// The system through its one entry point. Each service restarted one instance at a time, as a rolling deploy does, while
/// clients use it: no request fails, no export is lost, no hub client misses an event. And behind the gateway the Api
/// still knows who the client is, and believes no address a client claims.
/// </summary>
public sealed class GatewayTests(GatewaySystem system) : IClassFixture<GatewaySystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheApiSeesTheClientsAddressThroughTheGatewayAndNoAddressAClientClaims()
    {
        var tenant = await system.CreateTenantAsync(Token);
        // The client talks from 127.0.0.2, an address neither the gateway (which the Api trusts) nor the Api is.
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectFrom(IPAddress.Parse("127.0.0.2")) });
        http.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        foreach (var entry in new[] { system.Gateway.BaseAddress, system.Api.BaseAddress })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(entry, "/api/v1/exports"))
            {
                Content = JsonContent.Create(new { connectionId = tenant.ConnectionId, jql = "key = GAMMA-1", format = "csv" }),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var response = await http.SendAsync(request, Token);
            await Expect(response, HttpStatusCode.Accepted);
        }

        var trail = (await tenant.Client.GetFromJsonAsync<JsonObject>("/api/v1/tenant/audit-log", Token))!["items"]!.AsArray();
        var recorded = trail.Where(e => (string)e!["action"]! == "RequestExport").Select(e => (string?)e!["ipAddress"]).ToList();
        Assert.Equal(["127.0.0.2", "127.0.0.2"], recorded);
    }

    [Fact]
    public async Task RestartingEachApiInstanceInTurnUnderLoadFailsNoRequestAndLosesNoExport()
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var client = system.CreateGatewayClient(tenant.ApiKey);
        var failures = new ConcurrentQueue<string>();
        var exports = new ConcurrentQueue<Guid>();
        var answered = 0;
        using var stop = new CancellationTokenSource();

        // Four clients, each about four requests a second (the tenant's plan allows 1,200 a minute): one in ten starts an
        // export, the rest list them.
        var load = Enumerable.Range(0, 4).Select(clientIndex => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    if (i % 10 == clientIndex)
                    {
                        using var response = await client.PostAsJsonAsync("/api/v1/exports",
                            new { connectionId = tenant.ConnectionId, jql = "key = GAMMA-1", format = "csv" }, Token);
                        await Expect(response, HttpStatusCode.Accepted);
                        exports.Enqueue((await response.Content.ReadFromJsonAsync<ExportState>(Token))!.Id);
                    }
                    else
                    {
                        using var response = await client.GetAsync("/api/v1/exports?limit=5", Token);
                        await Expect(response, HttpStatusCode.OK);
                    }

                    Interlocked.Increment(ref answered);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException && !Token.IsCancellationRequested)
                {
                    failures.Enqueue(ex.Message);
                }

                await Task.Delay(250, Token);
            }
        }, Token)).ToList();

        foreach (var instance in new[] { "api-1", "api-2" })
        {
            // Traffic on both first, so the restarted instance is one the gateway was sending requests to.
            await Task.Delay(TimeSpan.FromSeconds(2), Token);
            await system.RestartGracefullyAsync(instance, Token);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(failures.IsEmpty, $"{failures.Count} of {answered + failures.Count} requests failed: {string.Join(" | ", failures.Take(5))}");
        Assert.True(answered > 100, $"Only {answered} requests were answered.");
        Assert.NotEmpty(exports);
        foreach (var id in exports)
        {
            Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(id, Token)).Status);
        }
    }

    [Fact]
    public async Task HubClientsAreToldToReconnectWhenTheirRealtimeInstanceLeavesAndResumeWithoutMissingAnEvent()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var seen = new ConcurrentDictionary<Guid, string>();
        var reconnections = 0;
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(system.Gateway.BaseAddress, "/hubs/exports"), o => o.Headers["X-Api-Key"] = tenant.ApiKey)
            .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)])
            .Build();
        hub.On<ExportNotification>("exportCompleted", e => seen.TryAdd(e.ExportId, "live"));
        hub.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        // As a client should after any reconnect: join the tenant's group on the new connection, then read from the
        // event log what happened while it was away (this tenant's whole log is short, so from the start).
        hub.Reconnected += async _ =>
        {
            Interlocked.Increment(ref reconnections);
            await hub.InvokeAsync("SubscribeToTenant", Token);
            var missed = (await tenant.Client.GetFromJsonAsync<JsonObject>(
                "/api/v1/events?types=export.completed&limit=200", Token))!;
            foreach (var item in missed["items"]!.AsArray())
            {
                seen.TryAdd((Guid)item!["aggregateId"]!, "event log");
            }
        };
        await hub.StartAsync(Token);
        await hub.InvokeAsync("SubscribeToTenant", Token);

        // Exports finish throughout the restarts, one started every half second.
        var exports = new List<Guid>();
        using var stop = new CancellationTokenSource();
        var requests = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                exports.Add(await tenant.RequestExportAsync("key = GAMMA-1", Token));
                await Task.Delay(500, Token);
            }
        }, Token);

        foreach (var instance in new[] { "realtime-1", "realtime-2" })
        {
            await Task.Delay(TimeSpan.FromSeconds(2), Token);
            await system.RestartGracefullyAsync(instance, Token);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        await stop.CancelAsync();
        await requests;
        foreach (var id in exports)
        {
            Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(id, Token)).Status);
        }

        // The client sat on one of the two instances, so at least one restart moved it; it was never left closed.
        Assert.True(reconnections >= 1, "The hub client never reconnected.");
        Assert.False(closed.Task.IsCompleted, "The hub connection closed instead of reconnecting.");
        Assert.Equal(HubConnectionState.Connected, hub.State);
        var unseen = await Polling.UntilAsync(() => Task.FromResult(exports.Where(id => !seen.ContainsKey(id)).ToList()),
            missing => missing.Count == 0, TimeSpan.FromSeconds(30), Token);
        Assert.Empty(unseen);
    }

    [Fact]
    public async Task AWorkerToldToStopFinishesTheExportInHandBeforeItExits()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var id = await tenant.RequestExportAsync("project = BETA ORDER BY key ASC", Token);
        await tenant.WaitForExportAsync(id, e => e.Status == "running", TimeSpan.FromMinutes(1), Token);

        await system.RestartWorkerGracefullyAsync(async exitCode =>
        {
            Assert.Equal(0, exitCode);
            // No Worker runs now: whatever the export's state is, the stopped one left it so.
            var export = await tenant.GetExportAsync(id, Token);
            Assert.Equal(("succeeded", 1500), (export.Status, export.IssueCount));
        }, Token);
    }

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectFrom(IPAddress local) =>
        async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
