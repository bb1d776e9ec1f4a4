using System.Globalization;
using JiraExport.Benchmarks;
using JiraExport.Benchmarks.Load;
using JiraExport.Core.Reports;
using JiraExport.Worker.Exports.Chromium;
using JiraExport.Worker.Exports.Pdf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Figures read the same on every machine, whatever its locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// "jwt [N]": the cost of validating one access token, for the identity benchmark (eng/bench-auth.sh).
if (args is ["jwt", ..])
{
    return await JwtValidationBenchmark.RunAsync(args is [_, var count] ? int.Parse(count, CultureInfo.InvariantCulture) : 20_000, CancellationToken.None);
}

// "live REALTIME JIRA APIKEY CONNECTION PROJECT [EDITS]": Jira change → SignalR push latency (eng/bench-live.sh).
if (args is ["live", var realtimeUrl, var jiraUrl, var liveKey, var liveConnection, var liveProject, ..])
{
    return await LivePushBenchmark.RunAsync(new Uri(realtimeUrl), new Uri(jiraUrl), liveKey, Guid.Parse(liveConnection), liveProject,
        args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 200, CancellationToken.None);
}

// "soak GATEWAY APIKEY CONNECTION MINUTES NAME=PID:METRICSPORT…": steady traffic and each process's memory over time (eng/soak.sh).
if (args is ["soak", var gatewayUrl, var soakKey, var soakConnection, var minutes, ..])
{
    return await SoakBenchmark.RunAsync(new Uri(gatewayUrl), soakKey, Guid.Parse(soakConnection),
        TimeSpan.FromMinutes(double.Parse(minutes, CultureInfo.InvariantCulture)), DeploymentProcess.Parse(args[5..]), CancellationToken.None);
}

// "load GATEWAYS ADMINKEY JIRA OWNERDB USERS HTTP SIGNALR NAME=PID:METRICSPORT…": the load figures through the gateways (eng/load.sh).
if (args is ["load", var gatewayList, var adminKey, var jira, var ownerDb, var users, var httpConnections, var hubConnections, ..])
{
    var target = new LoadTarget([.. gatewayList.Split(',').Select(g => new Uri(g))], adminKey, new Uri(jira), ownerDb);
    return await LoadBenchmark.RunAsync(target, int.Parse(users, CultureInfo.InvariantCulture), int.Parse(httpConnections, CultureInfo.InvariantCulture),
        int.Parse(hubConnections, CultureInfo.InvariantCulture), DeploymentProcess.Parse(args[8..]), CancellationToken.None);
}

// "forecast [ITEMS]": the 10,000-trial Monte Carlo forecast (eng/bench-analytics.sh).
if (args is ["forecast", ..])
{
    return ForecastBenchmark.Run(args is [_, var items] ? int.Parse(items, CultureInfo.InvariantCulture) : 500);
}

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

var options = BenchmarkOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// The Worker's defaults; Chromium__ExecutablePath etc. override them.
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .Build();

await using var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration)
    .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
    .AddChromiumPrinting()
    .AddSingleton(new ReportTemplateEngine())
    .AddSingleton<PdfFinisher>()
    .AddSingleton<ReportPrinter>()
    .BuildServiceProvider();
await using var chromiumMemory = new ProcessTreeMemory(TimeSpan.FromMilliseconds(200));

try
{
    var chromium = services.GetRequiredService<IOptions<ChromiumOptions>>().Value;
    if (!File.Exists(chromium.ExecutablePath))
    {
        Console.Error.WriteLine($"Chromium is not at {chromium.ExecutablePath}; run eng/bootstrap.sh or set Chromium__ExecutablePath.");
        return 1;
    }

    Console.WriteLine($"Rendering {options.Issues:N0} issues with {options.Template}: launch, 1 warm-up, {options.Iterations} measured renders…");
    var benchmark = new RenderingBenchmark(
        services.GetRequiredService<ReportTemplateEngine>(),
        services.GetRequiredService<ReportPrinter>(),
        services.GetRequiredService<ChromiumPdfRenderer>(),
        chromiumMemory);
    var result = await benchmark.RunAsync(options, cancellation.Token);

    ResultTable.Write(Console.Out, result, chromium.ExecutablePath);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The benchmark failed: {ex}");
    return 1;
}
