using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JiraExport.IntegrationTests.Infrastructure.Otlp;

/// <summary>One span as a service exported it, with the service that made it.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind)
{
    public const int Server = 2;
    public const int Client = 3;
    public const int Producer = 4;
    public const int Consumer = 5;
}

/// <summary>
/// An OTLP/HTTP endpoint in the test process that keeps every span the services export to it (traces as protobuf at
/// <c>/v1/traces</c>; logs and metrics are taken and dropped).
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.Single());

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpTraceReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            receiver.Add(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()));
            return Results.Ok();
        });
        app.MapPost("/v1/{signal}", () => Results.Ok());
        await app.StartAsync(cancellationToken);
        return receiver;
    }

    private void Add(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
            foreach (var scope in resource.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    _spans.Enqueue(new ReceivedSpan(
                        service,
                        scope.Scope?.Name ?? "",
                        Convert.ToHexStringLower(span.TraceId.Span),
                        Convert.ToHexStringLower(span.SpanId.Span),
                        span.ParentSpanId.IsEmpty ? null : Convert.ToHexStringLower(span.ParentSpanId.Span),
                        span.Name,
                        span.Kind));
                }
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
