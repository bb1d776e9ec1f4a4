using Xunit;

namespace JiraExport.IntegrationTests.Infrastructure.Otlp;

/// <summary>The whole system with every service exporting its telemetry over OTLP/HTTP to a receiver in the test process.</summary>
public sealed class TracedSystem : JiraExportSystem
{
    private readonly Dictionary<string, string> _telemetry = [];

    public OtlpTraceReceiver Traces { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> SharedEnvironment => _telemetry;

    public override async ValueTask InitializeAsync()
    {
        Traces = await OtlpTraceReceiver.StartAsync(TestContext.Current.CancellationToken);
        _telemetry["OTEL_EXPORTER_OTLP_ENDPOINT"] = Traces.Address.ToString().TrimEnd('/');
        _telemetry["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // Spans leave in batches; half a second instead of five keeps the test short.
        _telemetry["OTEL_BSP_SCHEDULE_DELAY"] = "500";
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Traces.DisposeAsync();
    }
}
