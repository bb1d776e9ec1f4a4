namespace JiraExport.Core.Messaging;

/// <summary>
/// What a domain event is about: its aggregate, and what subscriptions filter on (the connection, an export's template,
/// an issue's project).
/// </summary>
public sealed record EventSubject(
    Guid TenantId, string Aggregate, Guid AggregateId, Guid? ConnectionId, string? Template = null, string? ProjectKey = null);
