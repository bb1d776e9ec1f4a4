using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// One JiraExport service running as a real process from its build output, configured through its own
/// environment, so several test classes can run side by side and a test can kill it like a crash would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private ServiceProcess(string name, Process process, Uri baseAddress, Uri metricsAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        MetricsAddress = metricsAddress;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }

    /// <summary>Its Prometheus scrape endpoint, on a port of its own as deployed (<c>Metrics:Port</c>).</summary>
    public Uri MetricsAddress { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the service wrote, for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output.TakeLast(60));

    /// <summary>
    /// The first errors the service logged (<c>fail:</c>, <c>crit:</c>, an unhandled exception) with the lines after each,
    /// then its last lines: why a service died is often further back than its last words.
    /// </summary>
    private string FailureOutput
    {
        get
        {
            var lines = _output.ToArray();
            var errors = lines.Select((line, index) => (line, index))
                .Where(l => l.line.Contains("fail:", StringComparison.Ordinal) || l.line.Contains("crit:", StringComparison.Ordinal)
                    || l.line.StartsWith("Unhandled exception", StringComparison.Ordinal))
                .Take(3)
                .SelectMany(l => lines.Skip(l.index).Take(12));
            return $"First errors:\n{string.Join('\n', errors)}\nLast lines:\n{RecentOutput}";
        }
    }

    /// <param name="port">The loopback port to listen on (one chosen with <see cref="FreeLoopbackPort"/> before another service needed it); a free one otherwise.</param>
    public static async Task<ServiceProcess> StartAsync(
        string project, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, int? port = null)
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, project, "bin", BuildConfiguration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing; build the solution first.");
        }

        port ??= FreeLoopbackPort();
        var metricsPort = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Metrics__Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Metrics__Host"] = "127.0.0.1";
        start.Environment["OTEL_SERVICE_NAME"] = project;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start.");
        var service = new ServiceProcess(project, process, new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        process.OutputDataReceived += (_, e) => service.Record(e.Data);
        process.ErrorDataReceived += (_, e) => service.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilHealthyAsync(cancellationToken);
        return service;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var lastAnswer = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting.\n{FailureOutput}");
            }

            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastAnswer = $"/health answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A service still starting on a busy machine may take longer than one poll's timeout: ask again.
                lastAnswer = "/health did not answer within 5 s";
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"{Name} was not healthy within 60 s ({lastAnswer}).\n{FailureOutput}");
    }

    /// <summary>
    /// Asks the process to stop as an orchestrator does (SIGTERM), waits until it has exited, and returns its exit code:
    /// the graceful shutdown a rolling restart relies on.
    /// </summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            using var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync(cancellationToken);
            await _process.WaitForExitAsync(cancellationToken);
        }

        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
