using System.ComponentModel.DataAnnotations;
using JiraExport.Api.Apis;
using JiraExport.Api.Validation;
namespace JiraExport.Api.Contracts;

/// <summary>
/// <c>{mode:"full"|"incremental", projects?:[..], jql?}</c>; without a scope the connection's is used, and a connection
/// that has none syncs every project its credentials can see (scope <c>""</c>).
/// </summary>
public sealed record StartSyncRequest(string? Mode, IReadOnlyList<string>? Projects, string? Jql) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        SyncValidation.Validate(this).AsValidationResults();
}

/// <summary><paramref name="AlreadyActive"/>: a run of this connection was queued or running, and is the one answered.</summary>
public sealed record SyncAcceptedResponse(Guid JobId, string Status, string Mode, bool AlreadyActive);

/// <summary>
/// A sync run. <c>deleted</c>: issues removed because Jira no longer returns them; <c>leftScope</c>: issues removed from
/// the store because they no longer match the connection's scope (they still exist in Jira); <c>deletionsHeld</c>: more
/// removals of either kind than a run applies on its own (a sharp drop), waiting for <c>POST /sync-jobs/{id}/deletions</c>.
/// <c>scope</c>: the JQL synced; empty for every project the credentials can see, listed anew by each run.
/// </summary>
public sealed record SyncJobResponse(
    Guid Id,
    Guid ConnectionId,
    string Mode,
    string Scope,
    string Status,
    int Progress,
    int? IssuesExpected,
    int IssuesSeen,
    int IssuesWritten,
    int Deleted,
    int DeletionsHeld,
    int LeftScope,
    int Pages,
    DateTimeOffset? ChangedSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);

/// <summary>
/// <c>{cron, reconcileCron?, timeZone?, projects?|jql?}</c>: <c>cron</c> runs incremental syncs, <c>reconcileCron</c>
/// full ones (they find deletions); both in <c>timeZone</c> (IANA, default UTC). Without a scope, the connection's, or
/// every project its credentials can see.
/// </summary>
public sealed record PutSyncScheduleRequest(string? Cron, string? ReconcileCron, string? TimeZone, IReadOnlyList<string>? Projects, string? Jql) : IValidatableObject
{
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        SyncValidation.Validate(this).AsValidationResults();
}

public sealed record SyncScheduleResponse(
    Guid ConnectionId, string Cron, string? ReconcileCron, string TimeZone, string Scope, DateTimeOffset NextRunAt,
    DateTimeOffset? NextReconcileAt, Guid? LastJobId);
