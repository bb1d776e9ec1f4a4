using System.Security.Claims;
using JiraExport.Api.Contracts;
using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// A member's personal data in this tenant: all of it as one JSON document, and its erasure. Erasure removes what is
/// about the person alone (membership, sessions, invitations to their address, their SSO link here), keeps the
/// tenant's history with the person replaced by a random pseudonym (security events without their address, exports
/// and their requester's name, usage, keys and invitations they made, the names on schedules and dashboards), and
/// deletes the account when no other tenant has the person. The audit trail cannot change: its entries keep the account's id, which names no one once the
/// account and membership are gone.
/// </summary>
public static partial class UsersApi
{
    public static async Task<Results<Ok<PersonalDataResponse>, ProblemHttpResult>> ExportPersonalData(
        Guid userId, JiraExportDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var membership = await db.TenantMemberships.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        var user = membership is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (membership is null || user is null)
        {
            return MemberNotFound(userId);
        }

        var email = user.Email ?? user.ContactEmail;
        var sessions = await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedAt)
            .Select(s => new PersonalSession(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.IpAddress, s.UserAgent, s.RevokedAt, s.RevokedReason))
            .ToListAsync(cancellationToken);
        var securityEvents = await db.SecurityEvents.AsNoTracking().Where(e => e.UserId == userId).OrderBy(e => e.OccurredAt)
            .Select(e => new PersonalSecurityEvent(e.OccurredAt, e.Type, e.IpAddress, e.Detail))
            .ToListAsync(cancellationToken);
        var audit = await db.AuditLog.AsNoTracking().Where(e => e.ActorId == userId).OrderBy(e => e.Sequence)
            .Select(e => new PersonalAuditEntry(e.Sequence, e.OccurredAt, e.Action, e.Method, e.Target, e.Status, e.IpAddress))
            .ToListAsync(cancellationToken);
        var exports = await db.Exports.AsNoTracking().Where(e => e.RequestedById == userId).OrderBy(e => e.CreatedAt)
            .Select(e => new { e.Id, e.CreatedAt, e.Format, e.Template, e.Status, e.IssueCount })
            .ToListAsync(cancellationToken);
        var usage = await db.PrincipalUsageDays.AsNoTracking().Where(u => u.PrincipalId == userId).OrderBy(u => u.Day).ThenBy(u => u.Endpoint)
            .Select(u => new PersonalUsage(u.Day, u.Endpoint, u.Requests))
            .ToListAsync(cancellationToken);
        List<PersonalInvitation> invitations = email is null ? [] : await db.Invitations.AsNoTracking().Where(i => i.Email.ToLower() == email.ToLower())
            .OrderBy(i => i.CreatedAt).Select(i => new PersonalInvitation(i.Id, i.Email, i.CreatedAt, i.ExpiresAt))
            .ToListAsync(cancellationToken);
        List<PersonalReportSchedule> schedules = email is null ? [] : await db.ReportSchedules
            .FromSql($"SELECT * FROM report_schedules WHERE lower({email}) IN (SELECT lower(r) FROM unnest(recipients) r)").AsNoTracking()
            .OrderBy(s => s.Name).Select(s => new PersonalReportSchedule(s.Id, s.Name))
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new PersonalDataResponse(
            timeProvider.GetUtcNow(),
            new PersonalAccount(user.Id, email, user.DisplayName, user.CreatedAt, user.EmailConfirmed, user.TwoFactorEnabled),
            new PersonalMembership(RoleName(membership.Role), membership.CreatedAt),
            sessions,
            securityEvents,
            audit,
            [.. exports.Select(e => new PersonalExport(e.Id, e.CreatedAt, e.Format, e.Template, e.Status.ToString().ToLowerInvariant(), e.IssueCount))],
            usage,
            invitations,
            schedules));
    }

    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> ErasePerson(
        Guid userId,
        ClaimsPrincipal caller,
        HttpContext http,
        JiraExportDbContext db,
        TokenService tokens,
        SecurityEventLog securityEvents,
        CancellationToken cancellationToken)
    {
        var membership = await db.TenantMemberships.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberNotFound(userId);
        }

        if (await CheckOwnerChangeAsync(membership, caller, db, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (caller.GetUserId() == userId)
        {
            return TypedResults.Problem(title: "Not your own erasure",
                detail: "Another admin of the tenant erases you: the request itself would write your id into the security log.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var tenantId = membership.TenantId;
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var email = user.Email ?? user.ContactEmail ?? "";
        var name = user.DisplayName ?? "";
        var pseudonym = Guid.CreateVersion7();
        var label = $"erased person {pseudonym:N}";
        // Stored text names a person the ways requesters are described: "Name (address)", the name, or the address. Only
        // those exact forms are theirs (ann@x.com is not joann@x.com); without an address or a name, forms that match nothing.
        var address = email.Length > 0 ? email : $"no address {pseudonym}";
        var shownName = name.Length > 0 ? name : $"no name {pseudonym}";
        var described = $"{shownName} ({address})";
        // In free text (security event details), the address as a whole word, in any case.
        var addressPattern = $"(^|[^a-z0-9._%+-]){EscapeForRegex(address)}($|[^a-z0-9.-])";

        // Their sessions end everywhere in this tenant first (the deny-list reaches Api and Realtime at once).
        await EndSessionsAsync(userId, "erased from the tenant", db, tokens, cancellationToken);
        db.TenantMemberships.Remove(membership);
        await db.SaveChangesAsync(cancellationToken);

        var removed = new Dictionary<string, int>
        {
            ["tenant_memberships"] = 1,
            ["refresh_tokens"] = await db.RefreshTokens
                .Where(t => db.UserSessions.Any(s => s.Id == t.SessionId && s.UserId == userId)).ExecuteDeleteAsync(cancellationToken),
            ["user_sessions"] = await db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken),
            ["invitations"] = email.Length == 0 ? 0
                : await db.Invitations.Where(i => i.Email.ToLower() == email.ToLower()).ExecuteDeleteAsync(cancellationToken),
            ["feature_assignments"] = await db.FeatureAssignments.Where(a => a.Subject == $"user:{userId}").ExecuteDeleteAsync(cancellationToken),
            ["user_logins"] = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM user_logins WHERE user_id = {userId} AND login_provider = ANY ({SsoLoginProviders.OfTenant(tenantId)})", cancellationToken),
        };

        // What the tenant keeps of its history names the pseudonym instead; a name written as "Name (email)" is replaced whole.
        var pseudonymized = new Dictionary<string, int>
        {
            ["security_events"] = await db.Database.ExecuteSqlAsync($"""
                UPDATE security_events SET user_id = CASE WHEN user_id = {userId} THEN {pseudonym} ELSE user_id END, ip_address = CASE WHEN user_id = {userId} THEN NULL ELSE ip_address END,
                    detail = regexp_replace(replace(detail, {userId.ToString()}, {pseudonym.ToString()}), {addressPattern}, '\1' || {label} || '\2', 'gi')
                WHERE tenant_id = {tenantId} AND (user_id = {userId} OR strpos(detail, {userId.ToString()}) > 0 OR detail ~* {addressPattern})
                """, cancellationToken),
            // An export names its requester twice: the id (usage per person) and "Name (address)" (a watermark's {user}).
            ["exports"] = await db.Database.ExecuteSqlAsync($"""
                UPDATE exports SET requested_by_id = CASE WHEN requested_by_id = {userId} THEN {pseudonym} ELSE requested_by_id END,
                    requested_by = CASE WHEN requested_by_id = {userId} THEN {label} ELSE requested_by END
                WHERE tenant_id = {tenantId} AND requested_by_id = {userId}
                """, cancellationToken),
            ["principal_usage_days"] = await db.Database.ExecuteSqlAsync(
                $"UPDATE principal_usage_days SET principal_id = {pseudonym} WHERE tenant_id = {tenantId} AND principal_id = {userId}", cancellationToken),
            ["api_keys"] = await db.ApiKeys.Where(k => k.CreatedByUserId == userId)
                .ExecuteUpdateAsync(k => k.SetProperty(x => x.CreatedByUserId, (Guid?)pseudonym), cancellationToken),
            ["invitations"] = await db.Database.ExecuteSqlAsync($"""
                UPDATE invitations SET invited_by_user_id = CASE WHEN invited_by_user_id = {userId} THEN {pseudonym} ELSE invited_by_user_id END,
                    accepted_by_user_id = CASE WHEN accepted_by_user_id = {userId} THEN {pseudonym} ELSE accepted_by_user_id END
                WHERE tenant_id = {tenantId} AND (invited_by_user_id = {userId} OR accepted_by_user_id = {userId})
                """, cancellationToken),
            ["report_schedules"] = await db.Database.ExecuteSqlAsync($"""
                UPDATE report_schedules SET
                    recipients = ARRAY(SELECT r FROM unnest(recipients) r WHERE lower(r) <> lower({address})),
                    created_by = CASE WHEN lower(created_by) IN (lower({described}), lower({shownName}), lower({address})) THEN {label} ELSE created_by END
                WHERE tenant_id = {tenantId} AND (lower({address}) IN (SELECT lower(r) FROM unnest(recipients) r) OR lower(created_by) IN (lower({described}), lower({shownName}), lower({address})))
                """, cancellationToken),
            ["dashboards"] = await db.Database.ExecuteSqlAsync(
                $"UPDATE dashboards SET created_by = {label} WHERE tenant_id = {tenantId} AND lower(created_by) IN (lower({described}), lower({shownName}), lower({address}))", cancellationToken),
            ["metric_definition_versions"] = await db.Database.ExecuteSqlAsync(
                $"UPDATE metric_definition_versions SET created_by = {label} WHERE tenant_id = {tenantId} AND lower(created_by) IN (lower({described}), lower({shownName}), lower({address}))", cancellationToken),
        };

        securityEvents.Add(SecurityEventTypes.PersonErased, http, caller.GetUserId(), detail: "a member erased");
        await db.SaveChangesAsync(cancellationToken);

        // The account goes with its last tenant; find_memberships sees every tenant, not only this one. The account's row is
        // locked first, so a membership another tenant adds meanwhile (its key check waits for the lock) is seen.
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM users WHERE id = {userId} FOR UPDATE").ToListAsync(cancellationToken);
        var elsewhere = await db.Database.SqlQuery<Guid>($"SELECT tenant_id AS \"Value\" FROM find_memberships({userId})").AnyAsync(cancellationToken);
        var accountDeleted = !elsewhere && await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken) == 1;
        return TypedResults.Ok(new ErasureResponse(userId, pseudonym, removed, pseudonymized, accountDeleted));
    }

    /// <summary>Every character but letters and digits escaped, for a PostgreSQL regular expression.</summary>
    private static string EscapeForRegex(string value) =>
        string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : "\\" + c));
}
