using JiraExport.Api.Contracts;
using JiraExport.Core.Audit;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// <c>GET tenant/audit-log</c> and <c>GET tenant/audit-log/verify</c>: the tenant's audit trail for its admins, and the walk
/// of its hash chain that shows whether an entry was changed or deleted since it was written.
/// </summary>
public static class TenantAuditLogApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static async Task<Results<Ok<AuditLogPageResponse>, ValidationProblem>> ListAuditLog(
        long? after, int? limit, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (after is < 0)
        {
            errors["after"] = ["A sequence from 0 (the start) up."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"From 1 to {MaxLimit} entries."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var take = limit ?? DefaultLimit;
        var from = after ?? 0;
        var rows = await db.AuditLog.AsNoTracking().Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(take + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(take).Select(e => new AuditEntryResponse(
            e.Sequence, e.OccurredAt, e.ActorKind, e.ActorId, e.Action, e.Method, e.Target, e.Status, e.IpAddress,
            Convert.ToHexStringLower(e.Hash))).ToList();
        return TypedResults.Ok(new AuditLogPageResponse(items, items.Count > 0 ? items[^1].Sequence : from, rows.Count > take));
    }

    public static async Task<Results<Ok<AuditVerificationResponse>, ValidationProblem>> VerifyAuditLog(
        long? anchorSequence, string? anchorHash, JiraExportDbContext db, IDataProtectionProvider dataProtection, CancellationToken cancellationToken)
    {
        (long, byte[])? anchor = null;
        if (anchorSequence is not null || anchorHash is not null)
        {
            if (anchorSequence is not > 0 || anchorHash is not { Length: 64 } || !IsHex(anchorHash))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["anchorHash"] = ["An anchor is a sequence from 1 and its hash, as verify answered them (headSequence, headHash: 64 hex digits)."],
                });
            }

            anchor = (anchorSequence.Value, Convert.FromHexString(anchorHash));
        }

        var result = await AuditChain.VerifyAsync(db, dataProtection, anchor, cancellationToken);
        return TypedResults.Ok(new AuditVerificationResponse(
            result.Verified, result.Entries, result.HeadSequence, result.HeadHash, result.BrokenAtSequence, result.Problem));
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigit);
}
