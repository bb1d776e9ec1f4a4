using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Idempotency;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// The tenant's webhooks out (Standard Webhooks): which events go where, signed with a secret shown once, rotated with an
/// overlap; each subscription's delivery log, a test send, and a replay of a delivery (<see cref="WebhookDeliveriesApi"/>).
/// </summary>
public static partial class WebhookSubscriptionsApi
{
    private const int MaxSubscriptions = 50;
    private const int MaxFilterValues = 50;

    public static IEndpointRouteBuilder MapWebhookSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("webhook-subscriptions").WithTags("Webhooks").RequireTenant()
            // What a subscription sends, and a delivery holds, is export and sync data: readers of it only.
            .RequireAuthorization(Scopes.WebhooksManage).RequireAuthorization(Scopes.ExportsRead);
        api.MapPost("/", CreateWebhookSubscription)
            .Idempotent()
            .WithName("CreateWebhookSubscription")
            .WithSummary("Send chosen events to a URL; the signing secret is shown once");
        api.MapGet("/", ListWebhookSubscriptions)
            .WithName("ListWebhookSubscriptions")
            .WithSummary("The tenant's webhook subscriptions, newest first");
        api.MapGet("/{id:guid}", GetWebhookSubscription)
            .WithName("GetWebhookSubscription")
            .WithSummary("A webhook subscription, and why it was disabled if it was");
        api.MapPut("/{id:guid}", UpdateWebhookSubscription)
            .WithName("UpdateWebhookSubscription")
            .WithSummary("Change where and which events go; enable a disabled subscription again");
        api.MapDelete("/{id:guid}", DeleteWebhookSubscription)
            .WithName("DeleteWebhookSubscription")
            .WithSummary("Stop and remove a webhook subscription and its delivery log");
        api.MapPost("/{id:guid}/secret", RotateWebhookSubscriptionSecret)
            .WithName("RotateWebhookSubscriptionSecret")
            .WithSummary("A new signing secret; the previous one also signs for 24 hours");
        api.MapPost("/{id:guid}/test", SendTestWebhook)
            .WithName("SendTestWebhook")
            .WithSummary("Send a webhook.test event now, once, and log the answer");
        api.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The subscription's delivery log, newest first; filter with status");
        return app;
    }

    /// <summary>The structural rules of <see cref="WebhookSubscriptionRequest"/>; which connections exist is the handler's.</summary>
    internal static Dictionary<string, string[]> Validate(WebhookSubscriptionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")
            || url.UserInfo.Length > 0 || url.OriginalString.Length > 2000)
        {
            errors["url"] = ["An absolute http(s) URL of at most 2000 characters, without user name or password, is required."];
        }

        if (request.Description is { Length: > 200 })
        {
            errors["description"] = ["The description has at most 200 characters."];
        }

        if (request.EventTypes is not { Count: > 0 } types || types.Except(WebhookEventTypes.All, StringComparer.Ordinal).Any())
        {
            errors["eventTypes"] = [$"Give one or more of: {string.Join(", ", WebhookEventTypes.All)}."];
        }

        if (request.ConnectionIds is { Count: > MaxFilterValues })
        {
            errors["connectionIds"] = [$"At most {MaxFilterValues} connections."];
        }

        if (request.Templates is { } templates && (templates.Count > MaxFilterValues || templates.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 100)))
        {
            errors["templates"] = [$"At most {MaxFilterValues} template names of 1 to 100 characters."];
        }

        if (request.ProjectKeys is { } projects && (projects.Count > MaxFilterValues || projects.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > 100)))
        {
            errors["projectKeys"] = [$"At most {MaxFilterValues} Jira project keys of 1 to 100 characters, such as \"DEV\"."];
        }

        return errors;
    }

    public static async Task<Results<Created<CreatedWebhookSubscriptionResponse>, ValidationProblem, ProblemHttpResult>> CreateWebhookSubscription(
        WebhookSubscriptionRequest request, JiraExportDbContext db, WebhookSecrets secrets, HttpResponse response, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (await UnknownConnectionsAsync(db, request.ConnectionIds, "connectionIds", cancellationToken) is { } unknown)
        {
            return unknown;
        }

        if (await db.WebhookSubscriptions.CountAsync(cancellationToken) >= MaxSubscriptions)
        {
            return TypedResults.Problem(title: "Too many webhook subscriptions",
                detail: $"A tenant may have {MaxSubscriptions} webhook subscriptions; delete unused ones first.", statusCode: StatusCodes.Status409Conflict);
        }

        var now = timeProvider.GetUtcNow();
        var secret = WebhookSecrets.Create();
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(),
            TenantId = db.TenantId!.Value,
            Url = request.Url!,
            ProtectedSecret = secrets.Protect(db.TenantId!.Value, secret),
            CreatedAt = now,
        };
        Apply(subscription, request, now);
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/webhook-subscriptions/{subscription.Id}", new CreatedWebhookSubscriptionResponse(ToResponse(subscription), secret));
    }

    public static async Task<Results<Ok<ListPage<WebhookSubscriptionResponse>>, ValidationProblem>> ListWebhookSubscriptions(
        int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (subscriptions, next) = await db.WebhookSubscriptions.AsNoTracking()
            .NewestFirstAsync(s => s.CreatedAt, s => s.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. subscriptions.Select(ToResponse)], next, s => ListPages.V2($"/webhook-subscriptions/{s.Id}")));
    }

    public static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> GetWebhookSubscription(
        Guid id, JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } subscription
            ? TypedResults.Ok(ToResponse(subscription))
            : NotFoundProblem(id);

    public static async Task<Results<Ok<WebhookSubscriptionResponse>, ValidationProblem, ProblemHttpResult>> UpdateWebhookSubscription(
        Guid id, WebhookSubscriptionRequest request, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFoundProblem(id);
        }

        if (await UnknownConnectionsAsync(db, request.ConnectionIds, "connectionIds", cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var now = timeProvider.GetUtcNow();
        subscription.Url = request.Url!;
        Apply(subscription, request, now);
        switch (request.Enabled)
        {
            case true when !subscription.Enabled:
                subscription.Enable(now);
                break;
            case false when subscription.Enabled:
                subscription.Disable($"Disabled at {now:u} through the API.", now);
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(subscription));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhookSubscription(
        Guid id, JiraExportDbContext db, CancellationToken cancellationToken) =>
        await db.WebhookSubscriptions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) > 0 ? TypedResults.NoContent() : NotFoundProblem(id);

    public static async Task<Results<Ok<WebhookSecretResponse>, ProblemHttpResult>> RotateWebhookSubscriptionSecret(
        Guid id, JiraExportDbContext db, WebhookSecrets secrets, HttpResponse response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFoundProblem(id);
        }

        var secret = WebhookSecrets.Create();
        subscription.RotateSecret(secrets.Protect(subscription.TenantId, secret), WebhookSecrets.RotationOverlap, timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new WebhookSecretResponse(secret, subscription.PreviousSecretExpiresAt!.Value));
    }

    private static void Apply(WebhookSubscription subscription, WebhookSubscriptionRequest request, DateTimeOffset now)
    {
        subscription.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        subscription.EventTypes = [.. request.EventTypes!.Distinct(StringComparer.Ordinal)];
        subscription.ConnectionIds = [.. request.ConnectionIds?.Distinct() ?? []];
        subscription.Templates = [.. request.Templates?.Select(t => t.Trim()).Distinct(StringComparer.Ordinal) ?? []];
        // Jira's project keys are upper case; a key typed in lower case still matches.
        subscription.ProjectKeys = [.. request.ProjectKeys?.Select(p => p.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal) ?? []];
        subscription.UpdatedAt = now;
    }

    /// <summary>A filter naming a connection this tenant does not have would silently match nothing: it is refused.</summary>
    internal static async Task<ValidationProblem?> UnknownConnectionsAsync(
        JiraExportDbContext db, IEnumerable<Guid>? connectionIds, string field, CancellationToken cancellationToken)
    {
        var named = connectionIds?.Distinct().ToList() ?? [];
        var known = await db.JiraConnections.Where(c => named.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        var unknown = named.Except(known).ToList();
        return unknown.Count == 0
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [field] = [$"No Jira connection {string.Join(", ", unknown)} exists in this tenant."],
            });
    }

    internal static WebhookSubscriptionResponse ToResponse(WebhookSubscription s) => new(
        s.Id, s.Url, s.Description, s.EventTypes, s.ConnectionIds, s.Templates, s.ProjectKeys, s.Enabled, s.DisabledReason, s.DisabledAt,
        s.PreviousSecretExpiresAt, s.CreatedAt, s.UpdatedAt);

    internal static ProblemHttpResult NotFoundProblem(Guid id) => TypedResults.Problem(
        title: "Webhook subscription not found",
        detail: $"No webhook subscription {id} exists in this tenant.",
        statusCode: StatusCodes.Status404NotFound);
}
