using System.Diagnostics;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>The servers eng/test.sh started, handed over in environment variables.</summary>
internal static class TestEnvironment
{
    public static string PostgresServer => Require("JX_TEST_POSTGRES");

    /// <summary>A hot standby streaming from <see cref="PostgresServer"/>, as its superuser.</summary>
    public static string PostgresStandby => Require("JX_TEST_POSTGRES_STANDBY");
    public static string Redis => Require("JX_TEST_REDIS");
    public static string RabbitMq => Require("JX_TEST_RABBITMQ");
    public static string RabbitMqNode => Require("JX_TEST_RABBITMQ_NODE");

    /// <summary>smtp4dev's SMTP address (<c>smtp://127.0.0.1:port</c>) and its message API.</summary>
    public static string SmtpServer => Require("JX_TEST_SMTP");
    public static Uri SmtpApi => new(Require("JX_TEST_SMTP_API"));

    public static string RepositoryRoot => Environment.GetEnvironmentVariable("JX_REPOSITORY_ROOT") is { Length: > 0 } root
        ? root
        : FindRepositoryRoot();

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through eng/test.sh, which starts the servers.");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JiraExport.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("JiraExport.sln not found above the test output folder.");
    }

    /// <summary>Creates a RabbitMQ vhost of the test class's own, so its queues see no other class's messages.</summary>
    public static async Task CreateVhostAsync(string vhost, CancellationToken cancellationToken)
    {
        await RabbitMqCtlAsync(["add_vhost", vhost], cancellationToken);
        await RabbitMqCtlAsync(["set_permissions", "-p", vhost, "jiraexport", ".*", ".*", ".*"], cancellationToken);
    }

    private static async Task RabbitMqCtlAsync(string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(RabbitMqNode);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {await output} {await error}");
        }
    }
}
