using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using JiraExport.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Api.Tests;

/// <summary>
/// Every endpoint the Api maps states who may call it: a named policy, or anonymous by design from a short list.
/// A new endpoint without a policy fails here before it can ship open.
/// </summary>
public sealed class EndpointPolicyTests
{
    // Anonymous by design: signing in, signing up (which checks the admin key itself when closed), token refresh,
    // the public keys, the admin-key tenant creation, the health probes, and single sign-on (the identity provider's
    // signature or the authorization code is the credential there).
    private static readonly HashSet<string> AnonymousByDesign =
    [
        "POST /api/v{version:apiVersion}/auth/token",
        "POST /api/v{version:apiVersion}/auth/refresh",
        "POST /api/v{version:apiVersion}/auth/accept-invitation",
        "POST /api/v{version:apiVersion}/auth/verify-email",
        "POST /api/v{version:apiVersion}/auth/mfa",
        "POST /api/v{version:apiVersion}/auth/sso/token",
        "GET /api/v{version:apiVersion}/sso/oidc/{tenant}/login",
        "GET /api/v{version:apiVersion}/sso/oidc/{tenant}/callback",
        "GET /api/v{version:apiVersion}/sso/saml/{tenant}/login",
        "POST /api/v{version:apiVersion}/sso/saml/{tenant}/acs",
        "GET /api/v{version:apiVersion}/sso/saml/{tenant}/metadata",
        "GET /api/v{version:apiVersion}/connections/oauth/callback",
        // Jira's deliveries carry no credential of ours: each must be signed with its connection's webhook secret.
        "POST /api/v{version:apiVersion}/webhooks/jira/{connectionId:guid}",
        "POST /api/v{version:apiVersion}/signup/",
        "POST /api/v{version:apiVersion}/tenants/",
        "PUT /api/v{version:apiVersion}/tenants/{id:guid}/plan",
        "POST /api/v{version:apiVersion}/tenants/{id:guid}/suspend",
        "POST /api/v{version:apiVersion}/tenants/{id:guid}/resume",
        "POST /api/v{version:apiVersion}/tenants/{id:guid}/schedule-deletion",
        "GET /api/v{version:apiVersion}/tenants/{id:guid}/features",
        "PUT /api/v{version:apiVersion}/tenants/{id:guid}/features/{feature}",
        "DELETE /api/v{version:apiVersion}/tenants/{id:guid}/features/{feature}",
        "GET .well-known/jwks.json",
        "GET .well-known/openid-configuration",
        "ANY /health",
        "ANY /alive",

        // Which versions exist, and the API reference: the OpenAPI documents and Scalar's page and assets hold no
        // tenant data and no secret.
        "GET api/versions",
        "GET /openapi/{documentName}.json",
        "GET /scalar/{documentName?}",
        "GET /scalar/scalar.js",
        "GET /scalar/scalar.aspnetcore.js",
        "GET /scalar/favicon.svg",

        // What v1's Deprecation and Sunset headers link to, and what each v2 problem type means: public documentation.
        "GET /docs/migration-v1-to-v2",
        "GET /problems/",
        "GET /problems/{slug}",

        // Where the dashboard page's hub is: the same address the page's own HTML could have held.
        "GET /dashboard/settings",
    ];

    [Fact]
    public void EveryEndpointNamesAPolicyOrIsAnonymousByDesign()
    {
        using var factory = CreateFactory();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var unprotected = new List<string>();
        var anonymous = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var name = Describe(endpoint);
            var allowsAnonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (allowsAnonymous || policies.Count == 0)
            {
                (AnonymousByDesign.Contains(name) ? anonymous : unprotected).Add(name);
            }
            else if (!policies.Any(p => !string.IsNullOrEmpty(p.Policy)))
            {
                unprotected.Add(name + " (authorize without a named policy)");
            }
        }

        Assert.True(unprotected.Count == 0, "Endpoints without a policy: " + string.Join(", ", unprotected));

        // And the list above stays honest: each of its entries still exists.
        Assert.Equal(AnonymousByDesign.Order(), anonymous.Distinct().Order());
    }

    [Fact]
    public void EveryRouteThatTakesAnIdIsInTheTenantIsolationMatrix()
    {
        using var factory = CreateFactory();
        var withIds = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name != "version"))

            // Platform-admin routes act on a tenant by id with the admin key; no tenant credential reaches them.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/v{version:apiVersion}/tenants/", StringComparison.Ordinal))

            // Sign-in routes name a tenant by slug on purpose: anyone may start a sign-in at any tenant's provider.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/v{version:apiVersion}/sso/", StringComparison.Ordinal))

            // The API reference names documents, not tenant data.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/openapi/", StringComparison.Ordinal)
                        && !e.RoutePattern.RawText.StartsWith("/scalar/", StringComparison.Ordinal)
                        && !e.RoutePattern.RawText.StartsWith("/problems/", StringComparison.Ordinal))

            // Jira delivers to a connection by id, anonymous but signed: JiraWebhookTests sends another tenant's secret.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/v{version:apiVersion}/webhooks/jira/", StringComparison.Ordinal))

            // A flow metric or chart is named by what it shows; its connection and definition come in the query, and
            // FlowMetricsTests asks with another tenant's.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/v{version:apiVersion}/analytics/flow/{metric}", StringComparison.Ordinal)
                        && !e.RoutePattern.RawText.StartsWith("/api/v{version:apiVersion}/analytics/charts/{kind}", StringComparison.Ordinal))

            // A sprint is Jira's id within a connection, and the connection comes in the query (the tenant's only one if
            // left out): SprintReportTests asks for another tenant's sprint, and with another tenant's connection.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/v{version:apiVersion}/analytics/sprints/{sprintId:long}", StringComparison.Ordinal))

            // A synced issue is named by its Jira key, not an id; the isolation test asks for another tenant's key by itself.
            .Where(e => e.RoutePattern.RawText != "/api/v{version:apiVersion}/issues/{key}")
            .Select(Describe)
            .Distinct() // a v2 list and its v1 predecessor share a route; the matrix runs on both versions
            .Order()
            .ToList();

        Assert.Equal(TenantScopedRoutes.All.Select(r => $"{r.Method} {r.Pattern}").Order(), withIds);
    }

    [Fact]
    public void EveryRequestWithAValidatorIsValidatedOnEachOfItsRoutes()
    {
        using var factory = CreateFactory();
        var isService = factory.Services.GetRequiredService<IServiceProviderIsService>();
        var validated = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters()
                .Any(p => isService.IsService(typeof(Validation.IRequestValidator<>).MakeGenericType(p.ParameterType))) == true)
            .ToList();

        // Exports, templates, the tenant's settings and API keys have validators that read the store or the caller.
        Assert.True(validated.Count >= 5, $"Only {validated.Count} routes take a request with a validator.");
        var notRun = validated.Where(e => e.Metadata.GetMetadata<Validation.RequestValidatorsRun>() is null).Select(Describe).ToList();
        Assert.True(notRun.Count == 0, "Requests with a validator that no filter runs: " + string.Join(", ", notRun));
    }

    /// <summary>The Api as configured in production, pointed at servers it never reaches: only its endpoints are read.</summary>
    private static WebApplicationFactory<Program> CreateFactory() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("Admin:Key", "endpoint-policy-test-admin-key")
            .UseSetting("ConnectionStrings:jiraexportdb-app", "Host=127.0.0.1;Database=unused;Username=unused;Password=unused")
            .UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false"));

    private static string Describe(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
        return $"{string.Join('|', methods)} {endpoint.RoutePattern.RawText}";
    }
}
