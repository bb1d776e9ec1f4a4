using System.Text.Json;

namespace JiraExport.Api.Contracts;

/// <summary>
/// One event of the tenant's log. <paramref name="Sequence"/> numbers the tenant's events without a gap (a gap at the
/// start of a page means older events were pruned); <paramref name="Type"/> is <c>{aggregate}.{event}</c>, such as
/// <c>export.completed</c>; <paramref name="Data"/> is what Realtime pushed for it.
/// </summary>
public sealed record DomainEventResponse(long Sequence, Guid Id, string Type, Guid AggregateId, DateTimeOffset OccurredAt, JsonElement Data);

/// <summary>
/// v1's page of the log: read on with <c>after=</c><paramref name="LastSequence"/> (at once while
/// <paramref name="HasMore"/>, later to see what happened since).
/// </summary>
public sealed record DomainEventPage(IReadOnlyList<DomainEventResponse> Items, long LastSequence, bool HasMore);
