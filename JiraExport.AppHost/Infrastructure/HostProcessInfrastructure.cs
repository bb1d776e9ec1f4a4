using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using JiraExport.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace JiraExport.AppHost.Infrastructure;

/// <summary>
/// Starts Debian's <c>postgres</c>, <c>redis-server</c> and <c>rabbitmq-server</c>, and smtp4dev, as Aspire executables on
/// loopback ports, with data under <c>.data/host</c> (git-ignored). <c>eng/bootstrap.sh</c> installs them.
/// </summary>
internal static class HostProcessInfrastructure
{
    public static JiraExportInfrastructure AddHostProcessInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var dataDirectory = Path.GetFullPath(builder.Configuration["Infrastructure:DataDirectory"]
            ?? Path.Combine(repositoryRoot, ".data", "host"));
        Directory.CreateDirectory(dataDirectory);
        var serversDirectory = Path.Combine(repositoryRoot, "eng", "servers");

        // The superuser password lives with the data folder it was initialised with.
        var postgresPassword = ReadOrCreateSecret(Path.Combine(dataDirectory, "postgres-password"));
        var rabbitPassword = ReadOrCreateSecret(Path.Combine(dataDirectory, "rabbitmq-password"));

        var postgresPort = FreeLoopbackPort();
        var postgres = builder.AddHostServer(ResourceNames.Postgres, serversDirectory, "postgres.sh", postgresPort,
            [Path.Combine(dataDirectory, "postgres"), postgresPassword]);
        postgres.Resource.ConnectionStringExpression = ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={postgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username=postgres;Password={postgresPassword}");
        var database = builder.AddConnectionString(ResourceNames.Database,
            ReferenceExpression.Create($"{postgres.Resource.ConnectionStringExpression};Database={ResourceNames.Database}"));

        // A hot standby streaming from it, which analytics read from once it has caught up with the tenant's last change.
        var standbyPort = FreeLoopbackPort();
        var standby = builder.AddHostServer(ResourceNames.PostgresStandby, serversDirectory, "postgres-standby.sh", standbyPort,
                [Path.Combine(dataDirectory, "postgres-standby"), postgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture), postgresPassword])
            .WaitFor(postgres);
        standby.Resource.ConnectionStringExpression = ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={standbyPort.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username=postgres;Password={postgresPassword}");
        var readHosts = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"127.0.0.1:{standbyPort},127.0.0.1:{postgresPort}");

        var redisPort = FreeLoopbackPort();
        var redis = builder.AddHostServer(ResourceNames.Redis, serversDirectory, "redis.sh", redisPort, [Path.Combine(dataDirectory, "redis")]);
        redis.Resource.ConnectionStringExpression = ReferenceExpression.Create(
            $"127.0.0.1:{redisPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

        var rabbitPort = FreeLoopbackPort();
        var messaging = builder.AddHostServer(ResourceNames.Messaging, serversDirectory, "rabbitmq.sh", rabbitPort,
            [Path.Combine(dataDirectory, "rabbitmq"), rabbitPassword, FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        messaging.Resource.ConnectionStringExpression = ReferenceExpression.Create(
            $"amqp://jiraexport:{rabbitPassword}@127.0.0.1:{rabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");

        // smtp4dev (a .NET tool that eng/bootstrap.sh installs): SMTP for the services, its web UI for people.
        var mailPort = FreeLoopbackPort();
        var mailWebPort = FreeLoopbackPort();
        var mail = builder.AddHostServer(ResourceNames.Mail, serversDirectory, "smtp4dev.sh", mailPort,
                [mailWebPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            .WithHttpEndpoint(port: mailWebPort, targetPort: mailWebPort, name: "http", isProxied: false);
        mail.Resource.ConnectionStringExpression = ReferenceExpression.Create(
            $"smtp://127.0.0.1:{mailPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

        AddReadinessCheck(builder, postgres, async (connectionString, ct) =>
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Timeout=3");
            await connection.OpenAsync(ct);
        });
        AddReadinessCheck(builder, standby, async (connectionString, ct) =>
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Timeout=3");
            await connection.OpenAsync(ct);
        });
        AddReadinessCheck(builder, redis, async (connectionString, ct) =>
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString + ",connectTimeout=2000,abortConnect=true");
            await connection.GetDatabase().PingAsync();
        });
        AddReadinessCheck(builder, messaging, async (connectionString, ct) =>
        {
            var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
            await using var connection = await factory.CreateConnectionAsync(ct);
        });

        AddReadinessCheck(builder, mail, async (connectionString, ct) =>
        {
            var server = new Uri(connectionString);
            using var client = new TcpClient();
            await client.ConnectAsync(server.Host, server.Port, ct);
        });

        return new JiraExportInfrastructure(postgres.AsResource(), database.AsConnectionString(), redis.AsConnectionString(),
            messaging.AsConnectionString(), mail.AsConnectionString(), new DatabaseStandby(standby.AsResource(), readHosts));
    }

    private static IResourceBuilder<HostServerResource> AddHostServer(
        this IDistributedApplicationBuilder builder, string name, string serversDirectory, string script, int port, string[] args) =>
        builder.AddResource(new HostServerResource(name, "bash", serversDirectory))
            .WithArgs([Path.Combine(serversDirectory, script), port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args])
            .WithEndpoint(HostServerResource.EndpointName, endpoint =>
            {
                endpoint.Port = port;
                endpoint.TargetPort = port;
                endpoint.IsProxied = false;
                endpoint.UriScheme = "tcp";
            })
            .ExcludeFromManifest();

    /// <summary>Ready means the server answers a real client, not just that its process exists.</summary>
    private static void AddReadinessCheck(
        IDistributedApplicationBuilder builder, IResourceBuilder<HostServerResource> server, Func<string, CancellationToken, Task> probe)
    {
        var key = $"{server.Resource.Name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            try
            {
                var connectionString = await server.Resource.ConnectionStringExpression.GetValueAsync(ct) ?? string.Empty;
                await probe(connectionString, ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        server.WithHealthCheck(key);
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ReadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = RandomNumberGenerator.GetHexString(32, lowercase: true);
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }
}
