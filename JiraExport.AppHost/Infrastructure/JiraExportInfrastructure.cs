using System.Diagnostics;
using JiraExport.ServiceDefaults;

namespace JiraExport.AppHost.Infrastructure;

/// <summary>The servers the services depend on, whichever way they are run.</summary>
/// <param name="Standby">A streaming-replication standby of <paramref name="Postgres"/>, where the AppHost runs one.</param>
public sealed record JiraExportInfrastructure(
    IResourceBuilder<IResource> Postgres,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    IResourceBuilder<IResourceWithConnectionString> Mail,
    DatabaseStandby? Standby = null);

/// <param name="ReadHosts">Npgsql's multi-host list for reads: the standby first, then the primary.</param>
public sealed record DatabaseStandby(IResourceBuilder<IResource> Server, string ReadHosts);

public enum InfrastructureMode
{
    Containers,
    HostProcesses,
}

public static class InfrastructureExtensions
{
    /// <summary>
    /// Picks the mode: <c>Infrastructure:Mode</c> (<c>containers</c> | <c>host</c>) when set, containers when
    /// publishing, otherwise containers only if a Docker engine answers.
    /// </summary>
    public static JiraExportInfrastructure AddJiraExportInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = ResolveMode(builder);
        return mode == InfrastructureMode.Containers ? builder.AddContainerInfrastructure() : builder.AddHostProcessInfrastructure();
    }

    private static InfrastructureMode ResolveMode(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Infrastructure:Mode"];
        return configured?.ToLowerInvariant() switch
        {
            "containers" => InfrastructureMode.Containers,
            "host" => InfrastructureMode.HostProcesses,
            null or "" or "auto" => builder.ExecutionContext.IsPublishMode || DockerEngineAnswers()
                ? InfrastructureMode.Containers
                : InfrastructureMode.HostProcesses,
            _ => throw new InvalidOperationException($"Infrastructure:Mode '{configured}' is not one of auto, containers, host."),
        };
    }

    private static bool DockerEngineAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }

            if (!docker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static JiraExportInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(ResourceNames.Postgres);
        var database = postgres.AddDatabase(ResourceNames.Database);
        var redis = builder.AddRedis(ResourceNames.Redis);
        var messaging = builder.AddRabbitMQ(ResourceNames.Messaging);
        return new JiraExportInfrastructure(
            postgres.AsResource(), database.AsConnectionString(), redis.AsConnectionString(), messaging.AsConnectionString(),
            builder.AddMailServerContainer());
    }

    /// <summary>
    /// smtp4dev when running: an SMTP server that keeps what it receives, with a web UI to read it. Never published: a
    /// dev tool that swallows every mail has no place in a deployment, which names its own relay as the secret
    /// connection string <c>mail</c> (<c>smtp://host:587</c> or <c>smtps://host:465</c>).
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddMailServerContainer(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddConnectionString(ResourceNames.Mail);
        }

        var server = builder.AddContainer(ResourceNames.Mail + "-server", "rnwood/smtp4dev", "3.15.0")
            .WithEndpoint(targetPort: 25, name: "smtp", scheme: "tcp")
            .WithHttpEndpoint(targetPort: 80, name: "http");
        var smtp = server.GetEndpoint("smtp");
        return builder.AddConnectionString(ResourceNames.Mail,
            ReferenceExpression.Create($"smtp://{smtp.Property(EndpointProperty.Host)}:{smtp.Property(EndpointProperty.Port)}")).AsConnectionString();
    }

    internal static IResourceBuilder<IResource> AsResource<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.ApplicationBuilder.CreateResourceBuilder<IResource>(builder.Resource);

    internal static IResourceBuilder<IResourceWithConnectionString> AsConnectionString<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString =>
        builder.ApplicationBuilder.CreateResourceBuilder<IResourceWithConnectionString>(builder.Resource);
}
