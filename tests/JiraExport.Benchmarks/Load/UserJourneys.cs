using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace JiraExport.Benchmarks.Load;

/// <summary>A person's access token and the tenant it is for.</summary>
internal sealed record SignedInPerson(string AccessToken, LoadTenant Tenant);

/// <summary>
/// People arriving over <c>ramp</c>, each going through the gateway as a browser would: sign in, open the live
/// connection, list the exports, start one, watch it finish over SignalR and download it. Each stays connected until
/// the last has downloaded, so every one of them is connected at once at the end.
/// </summary>
internal sealed class UserJourneys(LoadTarget target, StepTimings timings)
{
    private readonly Lock _mostConnected = new();
    private int _connected;

    public int MostConnectedAtOnce { get; private set; }

    public async Task<IReadOnlyList<SignedInPerson>> RunAsync(IReadOnlyList<LoadTenant> tenants, TimeSpan ramp, CancellationToken cancellationToken)
    {
        var people = tenants.SelectMany(t => t.Emails.Select(email => (Tenant: t, Email: email)))
            .OrderBy(p => p.Email.Split('@')[0], StringComparer.Ordinal) // Tenants' people take turns in arriving.
            .ToArray();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = people.Length;
        using var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        var journeys = people.Select(async (person, i) =>
        {
            await Task.Delay(ramp * i / people.Length, cancellationToken);
            var counted = 0;
            void Done()
            {
                if (Interlocked.Exchange(ref counted, 1) == 0 && Interlocked.Decrement(ref remaining) == 0)
                {
                    allDone.TrySetResult();
                }
            }

            try
            {
                return await JourneyAsync(i, person.Tenant, person.Email, handler, allDone.Task, Done, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException or TaskCanceledException or HubException
                                       && !cancellationToken.IsCancellationRequested)
            {
                // Counted by the step it failed in; the others carry on.
                Done();
                return null;
            }
        }).ToArray();
        var signedIn = await Task.WhenAll(journeys);
        return [.. signedIn.OfType<SignedInPerson>()];
    }

    private async Task<SignedInPerson> JourneyAsync(
        int number, LoadTenant tenant, string email, HttpMessageHandler handler, Task allDone, Action done, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = target.GatewayFor(number), Timeout = TimeSpan.FromMinutes(2) };
        var token = await timings.TimeAsync("sign in", async () =>
            (await LoadFixture.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = LoadFixture.Password }, cancellationToken),
                cancellationToken)).GetProperty("accessToken").GetString()!);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var exportId = Guid.Empty;
        var finished = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(target.GatewayFor(number), "/hubs/exports"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        hub.On<JsonElement>("exportCompleted", n =>
        {
            if (n.GetProperty("exportId").GetGuid() == exportId)
            {
                finished.TrySetResult(n);
            }
        });
        hub.On<JsonElement>("exportFailed", n =>
        {
            if (n.GetProperty("exportId").GetGuid() == exportId)
            {
                finished.TrySetException(new InvalidOperationException($"The export failed: {n}"));
            }
        });
        await timings.TimeAsync("connect to /hubs/exports", () => hub.StartAsync(cancellationToken));
        var connected = Interlocked.Increment(ref _connected);
        lock (_mostConnected)
        {
            MostConnectedAtOnce = Math.Max(MostConnectedAtOnce, connected);
        }

        try
        {
            await timings.TimeAsync("list exports", async () =>
                await LoadFixture.ReadAsync(await http.GetAsync("/api/v1/exports?limit=20", cancellationToken), cancellationToken));
            exportId = await timings.TimeAsync("start an export", async () =>
                (await LoadFixture.ReadAsync(await http.PostAsJsonAsync("/api/v1/exports",
                    new { connectionId = tenant.ConnectionId, jql = LoadFixture.Jql, format = "csv" }, cancellationToken), cancellationToken))
                .GetProperty("id").GetGuid());
            // "After 0": the export's events so far are sent first, so a completion before the subscription is not missed.
            var completion = await timings.TimeAsync("export done, heard over SignalR", async () =>
            {
                await hub.InvokeAsync<long>("SubscribeToExportAfter", exportId, 0L, cancellationToken);
                return await finished.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            });
            await timings.TimeAsync("download the file", async () =>
            {
                var file = await http.GetByteArrayAsync($"/api/v1/exports/{exportId}/file", cancellationToken);
                if (completion.TryGetProperty("sizeBytes", out var size) && size.ValueKind == JsonValueKind.Number && size.GetInt64() != file.Length)
                {
                    throw new InvalidOperationException($"Downloaded {file.Length} bytes of a {size.GetInt64()}-byte file.");
                }
            });
            done();
            await timings.TimeAsync("stay connected until the last is done", async () =>
            {
                await allDone.WaitAsync(cancellationToken);
                if (hub.State != HubConnectionState.Connected)
                {
                    throw new InvalidOperationException($"The live connection was {hub.State} when the last person finished.");
                }
            });

            return new SignedInPerson(token, tenant);
        }
        finally
        {
            Interlocked.Decrement(ref _connected);
        }
    }
}
