using JiraExport.Api.Contracts;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// <c>GET tenant/usage/people</c>: for the tenant's admins, who used the Api for what — each person's and API key's
/// requests by endpoint and what they exported, busiest first.
/// </summary>
public static class TenantPeopleUsageApi
{
    public const int DefaultDays = 30;
    public const int MaxDays = 90;
    public const int MaxPeople = 500;

    public static async Task<Results<Ok<PeopleUsageResponse>, ValidationProblem>> GetPeopleUsage(
        int? days, JiraExportDbContext db, TenantQuotas quotas, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = [$"From 1 to {MaxDays} days (today counts as one)."] });
        }

        var (dayStart, _) = quotas.Today();
        var to = DateOnly.FromDateTime(dayStart.UtcDateTime);
        var from = to.AddDays(1 - (days ?? DefaultDays));
        var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var requests = await db.PrincipalUsageDays.AsNoTracking()
            .Where(u => u.Day >= from)
            .GroupBy(u => new { u.PrincipalId, u.PrincipalKind, u.Endpoint })
            .Select(g => new { g.Key.PrincipalId, g.Key.PrincipalKind, g.Key.Endpoint, Requests = g.Sum(u => u.Requests) })
            .ToListAsync(cancellationToken);
        var exports = await db.Exports.AsNoTracking()
            .Where(e => e.RequestedById != null && e.ParentExportId == null && !e.IsPreview && e.CreatedAt >= since)
            .GroupBy(e => new { e.RequestedById, e.Format, e.Template })
            .Select(g => new { g.Key.RequestedById, g.Key.Format, g.Key.Template, Exports = g.Count(), Issues = g.Sum(e => e.IssueCount ?? 0) })
            .ToListAsync(cancellationToken);

        var kinds = requests.GroupBy(r => r.PrincipalId).ToDictionary(g => g.Key, g => g.First().PrincipalKind);
        var ids = requests.Select(r => r.PrincipalId).Union(exports.Select(e => e.RequestedById!.Value)).ToList();
        var people = await db.TenantMemberships.AsNoTracking().Where(m => ids.Contains(m.UserId))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.ContactEmail })
            .ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, cancellationToken);

        var usage = ids.Select(id =>
        {
            var endpoints = requests.Where(r => r.PrincipalId == id).OrderByDescending(r => r.Requests).ThenBy(r => r.Endpoint, StringComparer.Ordinal)
                .Select(r => new EndpointUsageResponse(r.Endpoint, r.Requests)).ToList();
            var exported = exports.Where(e => e.RequestedById == id).OrderByDescending(e => e.Exports).ThenBy(e => e.Format, StringComparer.Ordinal)
                .Select(e => new ExportUsageResponse(e.Format, e.Template, e.Exports, e.Issues)).ToList();
            // An export's requester is a person unless its id is one of the tenant's keys.
            var kind = kinds.GetValueOrDefault(id) ?? (keys.ContainsKey(id) ? PrincipalKinds.ApiKey : PrincipalKinds.User);
            var name = kind == PrincipalKinds.User ? people.GetValueOrDefault(id) : keys.GetValueOrDefault(id);
            return new PrincipalUsageResponse(kind, id, name, endpoints.Sum(e => e.Requests), endpoints, exported.Sum(e => e.Exports), exported);
        });
        return TypedResults.Ok(new PeopleUsageResponse(from, to,
            [.. usage.OrderByDescending(p => p.Requests).ThenByDescending(p => p.Exports).ThenBy(p => p.Id).Take(MaxPeople)]));
    }
}
