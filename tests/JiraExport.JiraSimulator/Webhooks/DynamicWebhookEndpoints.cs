using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Endpoints;
using JiraExport.JiraSimulator.Jql;
using JiraExport.JiraSimulator.OAuth;
using JiraExport.JiraSimulator.Seed;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator.Webhooks;

/// <summary>
/// Dynamic webhooks of OAuth 2.0 apps, as Jira Cloud has them (API-NOTES §5.1): <c>POST /rest/api/3/webhook</c> registers
/// (a result per webhook: its id, or why not), <c>GET</c> lists the app's, <c>PUT /rest/api/3/webhook/refresh</c> extends
/// them 30 days, <c>DELETE</c> removes them. Only an app's access token through the gateway may call them; at most five per
/// app; a JQL filter may use only <c>issueKey</c>, <c>project</c>, <c>issuetype</c>, <c>status</c>, <c>assignee</c> and
/// <c>reporter</c> with <c>=</c>, <c>!=</c>, <c>IN</c> and <c>NOT IN</c>. <c>GET /_simulator/webhooks/dynamic</c> shows
/// them all to a test.
/// </summary>
internal static class DynamicWebhookEndpoints
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private const int MaxPerApp = 5;

    private static readonly string[] Events =
    [
        "jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted",
        "issue_property_set", "issue_property_deleted",
    ];

    private static readonly string[] FilterFields = ["issuekey", "key", "project", "issuetype", "status", "assignee", "reporter"];

    public static IEndpointRouteBuilder MapDynamicWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/rest/api/3/webhook");
        group.MapPost("/", async (HttpContext http, WebhookDispatcher webhooks, IssueStore store, TimeProvider time, IOptionsMonitor<JiraSimulatorOptions> options) =>
        {
            if (App(http, options.CurrentValue) is not { } client)
            {
                return OnlyApps();
            }

            var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
            if (body?["url"]?.GetValue<string>() is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var target)
                || body["webhooks"] is not JsonArray requested || requested.Count == 0)
            {
                return JiraJson.Error(StatusCodes.Status400BadRequest, "'url' (absolute) and 'webhooks' are required.");
            }

            var results = new JsonArray();
            foreach (var webhook in requested.OfType<JsonObject>())
            {
                var events = (webhook["events"] as JsonArray)?.Select(e => e?.GetValue<string>() ?? string.Empty).ToList() ?? [];
                var jql = webhook["jqlFilter"]?.GetValue<string>() ?? string.Empty;
                var problem = events.Count == 0 || events.Any(e => !Events.Contains(e))
                    ? $"'events' must name some of: {string.Join(", ", Events)}."
                    : webhooks.Dynamic(client.ClientId).Count >= MaxPerApp
                        ? $"The app has registered {MaxPerApp} webhooks already."
                        : FilterProblem(jql);
                Func<SeedIssue, bool>? filter = null;
                if (problem is null)
                {
                    try
                    {
                        filter = JqlCompiler.Compile(JqlParser.Parse(jql), store, time).Filter;
                    }
                    catch (JqlException ex)
                    {
                        problem = ex.Message;
                    }
                }

                if (problem is not null)
                {
                    results.Add(new JsonObject { ["errors"] = new JsonArray(problem) });
                    continue;
                }

                var id = webhooks.NextDynamicId();
                webhooks.Register(new WebhookRegistration(target, client.ClientSecret, 0, 0)
                {
                    Dynamic = new DynamicWebhook(id, client.ClientId, events, jql, filter!, time.GetUtcNow() + Lifetime),
                });
                results.Add(new JsonObject { ["createdWebhookId"] = id });
            }

            return JiraJson.Ok(new JsonObject { ["webhookRegistrationResult"] = results });
        });
        group.MapGet("/", (HttpContext http, WebhookDispatcher webhooks, IOptionsMonitor<JiraSimulatorOptions> options) =>
            App(http, options.CurrentValue) is { } client
                ? JiraJson.Ok(Page(webhooks.Dynamic(client.ClientId)))
                : OnlyApps());
        group.MapPut("/refresh", async (HttpContext http, WebhookDispatcher webhooks, TimeProvider time, IOptionsMonitor<JiraSimulatorOptions> options) =>
        {
            if (App(http, options.CurrentValue) is not { } client)
            {
                return OnlyApps();
            }

            var expiresAt = time.GetUtcNow() + Lifetime;
            webhooks.ChangeDynamic(client.ClientId, await IdsAsync(http), r => r with { Dynamic = r.Dynamic! with { ExpiresAt = expiresAt } });
            return JiraJson.Ok(new JsonObject { ["expirationDate"] = expiresAt.ToUnixTimeMilliseconds() });
        });
        group.MapDelete("/", async (HttpContext http, WebhookDispatcher webhooks, IOptionsMonitor<JiraSimulatorOptions> options) =>
        {
            if (App(http, options.CurrentValue) is not { } client)
            {
                return OnlyApps();
            }

            webhooks.ChangeDynamic(client.ClientId, await IdsAsync(http), _ => null);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });

        app.MapGet("/_simulator/webhooks/dynamic", (WebhookDispatcher webhooks) => JiraJson.Ok(Page(webhooks.Dynamic(clientId: null))));
        return app;
    }

    /// <summary>The OAuth app whose access token came through the gateway; null for any other caller.</summary>
    private static OAuthClientOptions? App(HttpContext http, JiraSimulatorOptions options)
    {
        if (!GatewayPathMiddleware.IsGatewayRequest(http)
            || http.Request.Headers.Authorization.ToString() is not { } header || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var grant = http.RequestServices.GetRequiredService<OAuthStore>().FindAccessToken(header["Bearer ".Length..].Trim());
        return grant is null ? null : OAuthClientOptions.Find(options.OAuthClients, grant.ClientId);
    }

    private static IResult OnlyApps() =>
        JiraJson.Error(StatusCodes.Status403Forbidden, "Only Connect and OAuth 2.0 apps can use this operation.");

    /// <summary>Why Jira would refuse <paramref name="jql"/> as a webhook filter, or null.</summary>
    private static string? FilterProblem(string jql)
    {
        if (string.IsNullOrWhiteSpace(jql))
        {
            return "'jqlFilter' is required.";
        }

        try
        {
            return Supported(JqlParser.Parse(jql).Where) ? null : $"The JQL filter '{jql}' uses a field or an operator webhooks do not support.";
        }
        catch (JqlException ex)
        {
            return ex.Message;
        }
    }

    private static bool Supported(JqlExpression? expression) => expression switch
    {
        JqlAnd and => Supported(and.Left) && Supported(and.Right),
        JqlOr or => Supported(or.Left) && Supported(or.Right),
        JqlClause clause => FilterFields.Contains(clause.Field, StringComparer.OrdinalIgnoreCase)
                            && clause.Operator is JqlOperator.Equals or JqlOperator.NotEquals or JqlOperator.In or JqlOperator.NotIn,
        _ => false,
    };

    private static async Task<List<long>> IdsAsync(HttpContext http) =>
        (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))?["webhookIds"]?.AsArray()
        .Select(id => id!.GetValue<long>()).ToList() ?? [];

    private static JsonObject Page(IReadOnlyList<WebhookRegistration> registrations) => new()
    {
        ["isLast"] = true,
        ["maxResults"] = 100,
        ["startAt"] = 0,
        ["total"] = registrations.Count,
        ["values"] = new JsonArray([.. registrations.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Dynamic!.Id,
            ["jqlFilter"] = r.Dynamic.Jql,
            ["events"] = new JsonArray([.. r.Dynamic.Events.Select(e => (JsonNode)e)]),
            ["expirationDate"] = r.Dynamic.ExpiresAt.ToUnixTimeMilliseconds(),
            ["url"] = r.Url.ToString(),
        })]),
    };
}
