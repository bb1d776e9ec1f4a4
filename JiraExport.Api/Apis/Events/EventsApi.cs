using System.Text.Json;
using JiraExport.Api.Auth;
using JiraExport.Api.Contracts;
using JiraExport.Api.Extensions;
using JiraExport.Api.OpenApi;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Apis;

/// <summary>
/// The tenant's event log, oldest first from a sequence number: what a client missed while away, or what its own
/// system polls for. The same events Realtime pushes live, with the same readers (<c>exports:read</c>).
/// </summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("events").WithTags("Events").RequireTenant().RequireAuthorization(Scopes.ExportsRead);
        api.MapGet("/", ListEvents)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListEvents")
            .WithSummary("The tenant's events after a sequence number, oldest first; filter with types (comma-separated)");
        api.MapGet("/", ListEventsV2)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListEvents")
            .WithSummary("The tenant's events after a sequence number, oldest first; filter with types (comma-separated)");
        return app;
    }

    public static async Task<Results<Ok<DomainEventPage>, ValidationProblem>> ListEvents(
        JiraExportDbContext db, long? after, string? types, int? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var query = Read(after, types, limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (items, hasMore) = await ReadPageAsync(db, query, cancellationToken);
        return TypedResults.Ok(new DomainEventPage(items, items.Count > 0 ? items[^1].Sequence : query.After, hasMore));
    }

    public static async Task<Results<Ok<ListPage<DomainEventResponse>>, ValidationProblem>> ListEventsV2(
        HttpRequest request, JiraExportDbContext db, long? after, string? types, int? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var query = Read(after, types, limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (items, hasMore) = await ReadPageAsync(db, query, cancellationToken);
        // An event has no address of its own; the next page starts after this one's last sequence.
        var next = hasMore ? items[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(ListPages.Create(request, items, next, _ => null, cursorParameter: "after"));
    }

    private static async Task<(IReadOnlyList<DomainEventResponse> Items, bool HasMore)> ReadPageAsync(
        JiraExportDbContext db, EventQuery query, CancellationToken cancellationToken)
    {
        var events = await db.DomainEvents.ReadAfterAsync(query.After, query.Types, query.Limit + 1, cancellationToken);
        var page = events.Take(query.Limit).Select(ToResponse).ToList();
        return (page, events.Count > query.Limit);
    }

    private static DomainEventResponse ToResponse(DomainEvent e)
    {
        using var data = JsonDocument.Parse(e.Payload);
        return new DomainEventResponse(e.Sequence, e.Id, e.TypeOf(), e.AggregateId, e.OccurredAt, data.RootElement.Clone());
    }

    /// <summary>Checks the query; problems go into <paramref name="errors"/>.</summary>
    private static EventQuery Read(long? after, string? types, int? limit, Dictionary<string, string[]> errors)
    {
        var (pageSize, _) = ListPages.Read(limit, cursor: null, errors);
        if (after < 0)
        {
            errors["after"] = ["After is a sequence number: 0 to read from the first event, or the last sequence you read."];
        }

        var named = types?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray() ?? [];
        var unknown = named.Except(DomainEventLog.Types, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors["types"] = [$"Unknown event type {string.Join(", ", unknown)}; the types are {string.Join(", ", DomainEventLog.Types)}."];
        }

        return new EventQuery(after ?? 0, named, pageSize);
    }

    private sealed record EventQuery(long After, string[] Types, int Limit);
}
