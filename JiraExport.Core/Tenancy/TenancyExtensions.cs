using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Core.Tenancy;

public static class TenancyExtensions
{
    public static Guid? GetTenantId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim), out var tenantId) ? tenantId : null;

    /// <summary>Copies the authenticated principal's tenant into the request's <see cref="TenantContext"/>.</summary>
    public static IApplicationBuilder UseTenantFromPrincipal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.GetTenantId() is { } tenantId)
            {
                context.RequestServices.GetRequiredService<TenantContext>().Set(tenantId);
            }

            await next(context);
        });
}
