using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>A webhook as a tenant's own system received it: the headers and the exact body.</summary>
public sealed record ReceivedWebhook(HeaderDictionary Headers, string Body)
{
    public string Id => Headers["webhook-id"].ToString();

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Type => (string)Json["type"]!;
}

/// <summary>
/// A tenant's receiver of webhooks on loopback: records every request and answers with <see cref="StatusCode"/> and
/// <see cref="ResponseBody"/>, which a test changes to make it fail or recover.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int StatusCode { get; set; } = StatusCodes.Status204NoContent;

    public string ResponseBody { get; set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Urls.Add("http://127.0.0.1:0");
        app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            receiver._received.Enqueue(new ReceivedWebhook(new HeaderDictionary(context.Request.Headers.ToDictionary()), body));
            context.Response.StatusCode = receiver.StatusCode;
            await context.Response.WriteAsync(receiver.ResponseBody, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hooks");
        return receiver;
    }

    /// <summary>The first webhook received that <paramref name="matches"/>, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> matches, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (_received.FirstOrDefault(matches) is { } webhook)
            {
                return webhook;
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching webhook within {timeout}; {_received.Count} received: {string.Join(", ", _received.Select(w => w.Type))}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
