using System.Security.Claims;
using JiraExport.Core.Domain;

namespace JiraExport.Core.Identity;

/// <summary>What a token may do. Roles grant fixed sets; every endpoint names the one scope it needs.</summary>
public static class Scopes
{
    public const string ExportsRead = "exports:read";
    public const string ExportsWrite = "exports:write";
    public const string ConnectionsManage = "connections:manage";
    public const string TemplatesManage = "templates:manage";
    public const string AnalyticsRead = "analytics:read";
    public const string WebhooksManage = "webhooks:manage";
    public const string TenantAdmin = "tenant:admin";

    public static readonly IReadOnlyList<string> All =
        [ExportsRead, ExportsWrite, ConnectionsManage, TemplatesManage, AnalyticsRead, WebhooksManage, TenantAdmin];

    public static IReadOnlyList<string> Of(TenantRole role) => role switch
    {
        TenantRole.Owner or TenantRole.Admin => All,
        TenantRole.Member => [ExportsRead, ExportsWrite, AnalyticsRead],
        _ => [ExportsRead, AnalyticsRead],
    };

    /// <summary>Scopes travel as one space-separated <c>scope</c> claim (RFC 8693 §4.2).</summary>
    public static bool HasScope(this ClaimsPrincipal principal, string scope) =>
        principal.FindAll(JiraExportClaims.Scope).Any(c => c.Value.Split(' ').Contains(scope, StringComparer.Ordinal));
}
