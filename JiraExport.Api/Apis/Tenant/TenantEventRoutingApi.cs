using System.Security.Claims;
using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// The tenant's event routing rules: which of its events reach the hub's followers and its webhook subscriptions
/// (<see cref="EventRouting"/>). The event log and the tenant's hub group always get every event: that is what clients
/// resume from without a gap.
/// </summary>
public static partial class TenantEventRoutingApi
{
    public const int MaxRules = 50;
    private const int MaxValuesPerRule = 20;

    public static async Task<Ok<EventRoutingResponse>> GetEventRouting(JiraExportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await db.TenantEventRoutings.AsNoTracking().SingleOrDefaultAsync(cancellationToken)));

    /// <summary>The structural rules of <see cref="EventRoutingRequest"/>; that connections exist is checked by the handler.</summary>
    internal static Dictionary<string, string[]> Validate(EventRoutingRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Rules is not { } rules)
        {
            errors["rules"] = ["Give the rules, in order (an empty list sends every event everywhere)."];
            return errors;
        }

        if (rules.Count > MaxRules)
        {
            errors["rules"] = [$"At most {MaxRules} rules."];
            return errors;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var field = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                errors[field] = ["A rule is an object: {\"eventTypes\": [...], \"projectKeys\": [...], \"toFollowers\": false, \"toWebhooks\": true}."];
                continue;
            }

            if (rule.EventTypes is { } types && (types.Count > MaxValuesPerRule || types.Except(DomainEventLog.Types, StringComparer.Ordinal).Any()))
            {
                errors[$"{field}.eventTypes"] = [$"At most {MaxValuesPerRule} of: {string.Join(", ", DomainEventLog.Types)}."];
            }

            if (rule.ConnectionIds is { Count: > MaxValuesPerRule })
            {
                errors[$"{field}.connectionIds"] = [$"At most {MaxValuesPerRule} connections."];
            }

            if (rule.ProjectKeys is { } projects && (projects.Count > MaxValuesPerRule || !projects.All(p => p is not null && ProjectKey().IsMatch(p))))
            {
                errors[$"{field}.projectKeys"] = [$"At most {MaxValuesPerRule} Jira project keys, such as \"DEV\"."];
            }

            if (rule.ToFollowers is null || rule.ToWebhooks is null)
            {
                errors[field] = ["Say where the events it matches go: \"toFollowers\" and \"toWebhooks\", each true or false."];
            }
        }

        return errors;
    }

    public static async Task<Results<Ok<EventRoutingResponse>, ValidationProblem>> PutEventRouting(
        EventRoutingRequest request,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        EventRouting routing,
        SecurityEventLog securityEvents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var rules = request.Rules!.Select(rule => new EventRoutingRule(
            [.. rule!.EventTypes?.Distinct() ?? []], [.. rule.ConnectionIds?.Distinct() ?? []],
            [.. rule.ProjectKeys?.Select(p => p.ToUpperInvariant()).Distinct() ?? []], rule.ToFollowers!.Value, rule.ToWebhooks!.Value)).ToList();
        if (await WebhookSubscriptionsApi.UnknownConnectionsAsync(db, rules.SelectMany(rule => rule.ConnectionIds), "rules", cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var routingRow = await db.TenantEventRoutings.SingleOrDefaultAsync(cancellationToken);
        if (routingRow is null)
        {
            routingRow = new TenantEventRouting { TenantId = db.TenantId!.Value };
            db.TenantEventRoutings.Add(routingRow);
        }

        routingRow.Rules = rules;
        routingRow.UpdatedAt = timeProvider.GetUtcNow();
        securityEvents.Add(SecurityEventTypes.TenantSettingsChanged, http, caller.GetUserId(), detail: $"event routing: {rules.Count} rules");
        await db.SaveChangesAsync(cancellationToken);
        // Every instance forgets the old rules once the new ones are committed (before, another could read the old ones again).
        var tenantId = routingRow.TenantId;
        await db.AfterCommitAsync(token => routing.ForgetAsync(tenantId, token), cancellationToken);
        return TypedResults.Ok(ToResponse(routingRow));
    }

    private static EventRoutingResponse ToResponse(TenantEventRouting? routing) => new(
        [.. (routing?.Rules ?? []).Select(r => new EventRoutingRuleResponse(r.EventTypes, r.ConnectionIds, r.ProjectKeys, r.ToFollowers, r.ToWebhooks))],
        routing?.UpdatedAt);

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_]{0,99}\z")]
    private static partial Regex ProjectKey();
}
