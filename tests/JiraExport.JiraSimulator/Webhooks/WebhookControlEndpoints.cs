using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Endpoints;

namespace JiraExport.JiraSimulator.Webhooks;

/// <summary>
/// Test controls, as a Jira admin would set a webhook up: <c>POST /_simulator/webhooks {url, secret, duplicates?, holdMs?}</c>
/// registers one (deliveries start with the next change), <c>DELETE /_simulator/webhooks</c> removes them all.
/// </summary>
internal static class WebhookControlEndpoints
{
    public static IEndpointRouteBuilder MapWebhookControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_simulator/webhooks");
        group.MapPost("/", async (HttpRequest request, WebhookDispatcher webhooks, CancellationToken cancellationToken) =>
        {
            var body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject;
            if (body?["url"]?.GetValue<string>() is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var target)
                || body["secret"]?.GetValue<string>() is not { Length: > 0 } secret)
            {
                return JiraJson.Error(StatusCodes.Status400BadRequest, "'url' (absolute) and 'secret' are required.");
            }

            webhooks.Register(new WebhookRegistration(target, secret,
                Math.Clamp(body["duplicates"]?.GetValue<int>() ?? 0, 0, 10), Math.Clamp(body["holdMs"]?.GetValue<int>() ?? 0, 0, 10_000)));
            return Results.NoContent();
        });
        group.MapDelete("/", (WebhookDispatcher webhooks) =>
        {
            webhooks.Clear();
            return Results.NoContent();
        });
        return app;
    }
}
