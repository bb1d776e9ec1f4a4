namespace JiraExport.Realtime.Hubs;

/// <summary>
/// The hub's group names. Each begins with the tenant, which the hub takes from the caller's credential and never from
/// the caller's words: however a client names an export, project or issue, it can only join groups of its own tenant.
/// </summary>
public static class HubGroups
{
    public static string Tenant(Guid tenantId) => $"tenant:{tenantId:N}";

    public static string Export(Guid tenantId, Guid exportId) => $"export:{tenantId:N}:{exportId:N}";

    public static string Project(Guid tenantId, Guid connectionId, string projectKey) => $"project:{tenantId:N}:{connectionId:N}:{projectKey}";

    public static string Presence(Guid tenantId, string resource) => $"presence:{tenantId:N}:{resource}";

    public static string Issue(Guid tenantId, Guid connectionId, string issueKey) => $"issue:{tenantId:N}:{connectionId:N}:{issueKey}";
}
