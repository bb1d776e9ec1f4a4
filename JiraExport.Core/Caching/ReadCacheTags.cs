using JiraExport.Core.Messaging;

namespace JiraExport.Core.Caching;

/// <summary>
/// The resources whose reads the Api caches, one tag per tenant and resource: a change to any of a tenant's issues evicts
/// every cached read of its issues. Coarse on purpose: a tag per row would cost a Redis set per row.
/// </summary>
public static class ReadCacheTags
{
    public const string Tenant = "tenant";
    public const string Templates = "templates";
    public const string Issues = "issues";

    public static IReadOnlyList<string> All { get; } = [Tenant, Templates, Issues];

    public static string For(Guid tenantId, string resource) => $"{tenantId:N}:{resource}";

    /// <summary>The cached resources a domain event of <paramref name="aggregate"/> makes stale: issues change through Jira webhooks and syncs.</summary>
    public static IReadOnlyList<string> ChangedBy(string aggregate) => aggregate switch
    {
        IssueEventTypes.Aggregate or SyncEventTypes.Aggregate => [Issues],
        _ => [],
    };
}
