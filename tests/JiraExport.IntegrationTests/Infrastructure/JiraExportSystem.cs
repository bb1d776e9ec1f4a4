using System.Net;
using System.Net.Http.Json;
using JiraExport.Core.Persistence;
using JiraExport.JiraSimulator;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// The whole slice for one test class: its own database, vhost and Redis channel prefix on the shared servers,
/// the Jira simulator in-process, and Api, Worker and Realtime as real processes.
/// </summary>
public class JiraExportSystem : IAsyncLifetime
{
    /// <summary>The API version the tests' clients call: they write <c>/api/v1/…</c>, and another version's system sends it there.</summary>
    public virtual int ApiVersion => 1;

    public const string AdminKey = "integration-admin-key-0123456789";

    /// <summary>The certificate the services encrypt the key ring with, as a deployment passes it (one for the whole run).</summary>
    public static string KeyRingCertificateBase64 { get; } = KeyRingCertificate.CreateBase64();
    public const int OutboxMaxPublishAttempts = 5;
    private const string AppRolePassword = "integration-app-role-password";

    private readonly string _id = "jx" + Guid.NewGuid().ToString("N")[..10];
    private readonly int _realtimePort = ServiceProcess.FreeLoopbackPort();
    private ServiceProcess? _worker;

    public string OwnerConnectionString => $"{TestEnvironment.PostgresServer};Database={_id}";
    public string AppConnectionString => $"{OwnerConnectionString};Username=jiraexport_app;Password={AppRolePassword}";
    public string MessagingConnectionString => $"{TestEnvironment.RabbitMq}/{_id}";

    /// <summary>The Api's reads a standby may serve: the standby first, the primary when it does not answer.</summary>
    public string ReadsConnectionString => $"{AppConnectionString};Host={HostAndPort(TestEnvironment.PostgresStandby)},{HostAndPort(TestEnvironment.PostgresServer)}";

    /// <summary>The standby of this system's database, as its superuser (who may pause and resume its replay).</summary>
    public string StandbyConnectionString => $"{TestEnvironment.PostgresStandby};Database={_id}";

    private static string HostAndPort(string connectionString)
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{server.Host}:{server.Port}";
    }

    public WebApplication Simulator { get; private set; } = null!;
    public Uri SimulatorAddress { get; private set; } = null!;
    public ServiceProcess Api { get; private set; } = null!;
    public ServiceProcess Realtime { get; private set; } = null!;
    public ServiceProcess Worker => _worker ?? throw new InvalidOperationException("The Worker is not running.");

    public virtual async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cancellationToken = timeout.Token;

        await TestEnvironment.CreateVhostAsync(_id, cancellationToken);
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance).MigrateAsync(OwnerConnectionString, AppConnectionString, cancellationToken);

        Simulator = JiraSimulatorApp.Build([]);
        Simulator.Urls.Add("http://127.0.0.1:0");
        await Simulator.StartAsync(cancellationToken);
        SimulatorAddress = Simulator.GetBaseAddress();

        // The Worker declares the topology the others rely on, so it starts first.
        _worker = await StartWorkerAsync(cancellationToken);
        // Realtime verifies access tokens with the keys the Api publishes, so it needs the Api's address.
        Api = await ServiceProcess.StartAsync("JiraExport.Api", ApiEnvironment(), cancellationToken);
        Realtime = await ServiceProcess.StartAsync("JiraExport.Realtime", RealtimeEnvironment(), cancellationToken, _realtimePort);
    }

    /// <summary>Settings every service of this system gets on top of its own (a derived system's, such as where telemetry goes).</summary>
    protected virtual IReadOnlyDictionary<string, string> SharedEnvironment { get; } = new Dictionary<string, string>();

    private Dictionary<string, string> WithShared(Dictionary<string, string> environment)
    {
        foreach (var (name, value) in SharedEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>The simulator is Atlassian's authorization server too; both the Api (connecting) and the Worker (refreshing) use it.</summary>
    private Dictionary<string, string> OAuthEnvironment() => new()
    {
        ["JiraOAuth__ClientId"] = "sim-oauth-client",
        ["JiraOAuth__ClientSecret"] = "sim-oauth-client-secret",
        ["JiraOAuth__RedirectUri"] = "http://localhost/oauth/jira/callback",
        ["JiraOAuth__AuthorizeUrl"] = new Uri(SimulatorAddress, "/authorize").ToString(),
        ["JiraOAuth__TokenUrl"] = new Uri(SimulatorAddress, "/oauth/token").ToString(),
        ["JiraOAuth__ResourcesUrl"] = new Uri(SimulatorAddress, "/oauth/token/accessible-resources").ToString(),
        ["JiraOAuth__GatewayBaseUrl"] = SimulatorAddress.ToString(),
        // Access tokens live an hour: refreshing whenever less than an hour remains rotates the grant on every use.
        ["JiraOAuth__RefreshBefore"] = "01:00:00",
    };

    public Dictionary<string, string> ApiEnvironment() => WithShared(new(OAuthEnvironment())
    {
        ["ConnectionStrings__jiraexportdb-app"] = AppConnectionString,
        ["ConnectionStrings__jiraexportdb-app-reads"] = ReadsConnectionString,
        ["Admin__Key"] = AdminKey,
        ["DataProtection__KeyRingCertificate"] = KeyRingCertificateBase64,
        ["ConnectionStrings__redis"] = TestEnvironment.Redis,
        ["Auth__RedisKeyPrefix"] = _id,
        // Every test talks from loopback: the production limits would throttle the suite (ThrottlingTests set their own).
        ["Throttling__AnonymousPerAddressPerMinute"] = "1000000",
        ["Throttling__PerPrincipalPerMinute"] = "1000000",
        ["Usage__FlushInterval"] = "00:00:00.500",
        ["Jira__AllowPrivateNetworks"] = "true",
        ["Jira__MaxRetries"] = "2",
        ["Jira__RetryBaseDelay"] = "00:00:00.200",
        ["Jira__NodeCircuitMinimumThroughput"] = "3",
        // The test identity provider listens on loopback over plain HTTP.
        ["Sso__RequireHttps"] = "false",
        ["Sso__AllowPrivateNetworks"] = "true",
        // The dashboard page's hub: Realtime starts after the Api, on the port chosen for it now.
        ["Dashboard__HubUrl"] = $"http://127.0.0.1:{_realtimePort}/hubs/exports",
    });

    public Dictionary<string, string> RealtimeEnvironment() => WithShared(new()
    {
        ["ConnectionStrings__jiraexportdb-app"] = AppConnectionString,
        ["ConnectionStrings__messaging"] = MessagingConnectionString,
        ["ConnectionStrings__redis"] = TestEnvironment.Redis,
        ["Realtime__RedisChannelPrefix"] = _id,
        ["DataProtection__KeyRingCertificate"] = KeyRingCertificateBase64,
        ["Realtime__RevalidateInterval"] = "00:00:00.500",
        ["Realtime__DashboardInterval"] = "00:00:00.200",
        ["Auth__RedisKeyPrefix"] = _id,
        ["Auth__MetadataAddress"] = new Uri(Api.BaseAddress, "/.well-known/openid-configuration").ToString(),
        ["Realtime__AllowedOrigins__0"] = Api.BaseAddress.GetLeftPart(UriPartial.Authority),
    });

    private Dictionary<string, string> WorkerEnvironment() => WithShared(new(OAuthEnvironment())
    {
        ["ConnectionStrings__jiraexportdb-app"] = AppConnectionString,
        ["ConnectionStrings__messaging"] = MessagingConnectionString,
        ["ConnectionStrings__mail"] = TestEnvironment.SmtpServer,
        ["ConnectionStrings__redis"] = TestEnvironment.Redis,
        ["Auth__RedisKeyPrefix"] = _id,
        ["DataProtection__KeyRingCertificate"] = KeyRingCertificateBase64,
        // Short waits keep retry tests fast; production defaults are seconds to minutes.
        ["Messaging__RetryDelays__0"] = "00:00:00.500",
        ["Messaging__RetryDelays__1"] = "00:00:01",
        ["Messaging__RetryDelays__2"] = "00:00:01.500",
        ["Messaging__OutboxPollInterval"] = "00:00:00.100",
        ["TenantPurge__Interval"] = "00:00:00.500",
        ["ExportRetention__Interval"] = "00:00:00.500",
        ["EventLog__Interval"] = "00:00:00.500",
        ["MessageRetention__Interval"] = "00:00:00.500",
        ["DataRetention__Interval"] = "00:00:00.500",
        ["OperationsMetrics__Interval"] = "00:00:00.500",
        // Receivers of the tests' webhooks listen on loopback; three attempts within about a second.
        ["WebhookDelivery__AllowPrivateNetworks"] = "true",
        ["WebhookDelivery__Interval"] = "00:00:00.100",
        ["WebhookDelivery__RetryDelays__0"] = "00:00:00.200",
        ["WebhookDelivery__RetryDelays__1"] = "00:00:00.400",
        ["Messaging__OutboxMaxPublishAttempts"] = OutboxMaxPublishAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Jira__AllowPrivateNetworks"] = "true",
        ["Jira__MaxRetries"] = "2",
        ["Jira__RetryBaseDelay"] = "00:00:00.200",
        ["Jira__RetryMaxDelay"] = "00:00:02",
        // A killed Worker's sync lease runs out quickly, so the resume test does not wait a minute.
        ["Sync__LeaseDuration"] = "00:00:03",
        ["Sync__UnavailableBackoff"] = "00:00:00.500",
        ["Sync__SchedulerInterval"] = "00:00:00.500",
        ["ReportSchedules__SchedulerInterval"] = "00:00:00.500",
        ["Jira__NodeCircuitMinimumThroughput"] = "3",
        // Detail reports of the tests' size (40 issues, about 100 KB of HTML) print in two parts side by side, as
        // 1,000-issue reports do in production, so the tests read back the joined PDF.
        ["Chromium__PrintParts"] = "2",
        ["Chromium__PrintInPartsAboveChars"] = "32768",
    });

    public Task<ServiceProcess> StartWorkerAsync(CancellationToken cancellationToken) =>
        ServiceProcess.StartAsync("JiraExport.Worker", WorkerEnvironment(), cancellationToken);

    /// <summary>Another Worker on the same queues and database, with <paramref name="settings"/> added to its configuration.</summary>
    public Task<ServiceProcess> StartWorkerAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var environment = WorkerEnvironment();
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return ServiceProcess.StartAsync("JiraExport.Worker", environment, cancellationToken);
    }

    /// <summary>
    /// Stops the Worker and starts one with <paramref name="settings"/> added to its configuration (none: as the system
    /// started it). A test that changes the Worker puts the usual one back in its <c>finally</c>.
    /// </summary>
    public async Task ReplaceWorkerAsync(IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken)
    {
        await Worker.DisposeAsync();
        _worker = null;
        _worker = await StartWorkerAsync(settings ?? new Dictionary<string, string>(), cancellationToken);
    }

    /// <summary>
    /// Stops the Worker as an orchestrator does (SIGTERM), runs <paramref name="whileDown"/> with its exit code once it has
    /// exited, and starts a fresh one on the same queues.
    /// </summary>
    public async Task RestartWorkerGracefullyAsync(Func<int, Task> whileDown, CancellationToken cancellationToken)
    {
        var exitCode = await Worker.StopAsync(cancellationToken);
        await Worker.DisposeAsync();
        _worker = null;
        await whileDown(exitCode);
        _worker = await StartWorkerAsync(cancellationToken);
    }

    /// <summary>Kills the Worker like a crash and starts a fresh one on the same queues.</summary>
    public async Task RestartWorkerAfterCrashAsync(Func<Task>? whileDown, CancellationToken cancellationToken)
    {
        await Worker.KillAsync();
        await Worker.DisposeAsync();
        _worker = null;
        if (whileDown is not null)
        {
            await whileDown();
        }

        _worker = await StartWorkerAsync(cancellationToken);
    }

    public HttpClient CreateApiClient(string? apiKey = null)
    {
        var client = new HttpClient(new ApiVersionRedirect(ApiVersion) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = Api.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public Task<RabbitMQ.Client.IConnection> ConnectToMessagingAsync(CancellationToken cancellationToken) =>
        new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(MessagingConnectionString) }.CreateConnectionAsync(cancellationToken);

    /// <summary>Takes the oldest job from the parking queue; null when it is empty.</summary>
    public async Task<string?> TakeParkedJobAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectToMessagingAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var parked = await channel.BasicGetAsync(Core.Messaging.MessagingTopology.ExportJobsParkingQueue, autoAck: true, cancellationToken);
        return parked is null ? null : System.Text.Encoding.UTF8.GetString(parked.Body.Span);
    }

    /// <summary>
    /// Runs SQL as the database owner, around the Api: for arranging states a test cannot reach through it. Returns once
    /// the standby has replayed it too: a change made behind the services' backs raises no tenant's watermark, so
    /// nothing else would keep analytics from reading the state before it.
    /// </summary>
    public async Task ExecuteAsOwnerAsync(string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        await AsOwnerAsync(sql, parameters, command => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);
        await WaitForStandbyAsync(cancellationToken);
    }

    /// <summary>
    /// Until the standby has replayed everything the primary has written so far (StandbyReadTests pauses its replay for a
    /// sync's length, so a class beside it may wait that long).
    /// </summary>
    public async Task WaitForStandbyAsync(CancellationToken cancellationToken)
    {
        var written = await AsOwnerAsync("SELECT (pg_current_wal_lsn() - '0/0')::bigint", new Dictionary<string, object>(),
            async command => (long)(await command.ExecuteScalarAsync(cancellationToken))!, cancellationToken);
        await using var standby = new Npgsql.NpgsqlConnection(StandbyConnectionString);
        await standby.OpenAsync(cancellationToken);
        await using var replayed = new Npgsql.NpgsqlCommand("SELECT coalesce((pg_last_wal_replay_lsn() - '0/0')::bigint, 0)", standby);
        var position = await Polling.UntilAsync(async () => (long)(await replayed.ExecuteScalarAsync(cancellationToken))!,
            position => position >= written, TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(position >= written, $"The standby replayed the primary's WAL to {position}, not to {written}, within 60 s.");
    }

    /// <summary>The first column of every row, read as the database owner: what a dump of the database holds.</summary>
    public Task<List<string>> ReadAsOwnerAsync(string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken) =>
        AsOwnerAsync(sql, parameters, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var values = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                values.Add(reader.GetString(0));
            }

            return values;
        }, cancellationToken);

    private async Task<T> AsOwnerAsync<T>(
        string sql, IReadOnlyDictionary<string, object> parameters, Func<Npgsql.NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await run(command);
    }

    public HttpClient CreateSimulatorClient() => new() { BaseAddress = SimulatorAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A new tenant with its API key and a connection to the simulator (Cloud with basic auth unless told otherwise).</summary>
    public async Task<TestTenant> CreateTenantAsync(
        CancellationToken cancellationToken, Uri? jiraBaseUrl = null, string? apiToken = null, string deployment = "cloud", object? auth = null,
        IReadOnlyList<Uri>? failoverBaseUrls = null)
    {
        using var admin = CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        var slug = "t-" + Guid.NewGuid().ToString("N")[..12];
        using var tenantResponse = await admin.PostAsJsonAsync("/api/v1/tenants", new { name = "Tenant " + slug, slug }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, tenantResponse.StatusCode);
        var tenant = (await tenantResponse.Content.ReadFromJsonAsync<CreatedTenant>(cancellationToken))!;

        var client = CreateApiClient(tenant.ApiKey);
        using var connectionResponse = await client.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "Simulator",
            baseUrl = (jiraBaseUrl ?? SimulatorAddress).ToString(),
            deployment,
            auth = auth ?? new { type = "basic", email = "demo@example.com", apiToken = apiToken ?? "sim-api-token" },
            failoverBaseUrls = failoverBaseUrls?.Select(u => u.ToString()),
        }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, connectionResponse.StatusCode);
        var connection = (await connectionResponse.Content.ReadFromJsonAsync<CreatedConnection>(cancellationToken))!;
        return new TestTenant(tenant.Id, tenant.ApiKey, connection.Id, client);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Realtime is not null)
        {
            await Realtime.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }

    private sealed record CreatedTenant(Guid Id, string ApiKey);

    private sealed record CreatedConnection(Guid Id);
}

public sealed record TestTenant(Guid TenantId, string ApiKey, Guid ConnectionId, HttpClient Client);
