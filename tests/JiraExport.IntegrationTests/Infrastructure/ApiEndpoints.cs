extern alias JiraExportApi;

using JiraExport.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>A route of the Api that reads a JSON body, and the record it binds the body to.</summary>
public sealed record ApiEndpoint(string Method, string Pattern, Type BodyType, bool NeedsUserSession);

/// <summary>
/// The Api's routes (its assembly is referenced under an alias: the simulator has a Program class too) as its endpoint data source lists them, read from the Api hosted in-process (pointed at servers it
/// never reaches): the tests that walk every route send their requests to the real Api process.
/// </summary>
public static class ApiEndpoints
{
    private static readonly Lazy<IReadOnlyList<ApiEndpoint>> JsonBodyRoutes = new(Read);

    public static IReadOnlyList<ApiEndpoint> WithJsonBodies() => JsonBodyRoutes.Value;

    private static IReadOnlyList<ApiEndpoint> Read()
    {
        using var factory = new WebApplicationFactory<JiraExportApi::Program>().WithWebHostBuilder(host => host
            .UseSetting("Admin:Key", "route-listing-admin-key")
            .UseSetting("ConnectionStrings:jiraexportdb-app", "Host=127.0.0.1;Database=unused;Username=unused;Password=unused")
            .UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false"));
        var routes = new List<ApiEndpoint>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            if (accepts?.RequestType is not { } bodyType || !accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var needsSession = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Any(a => a.Policy == AuthenticationExtensions.UserSessionPolicy);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add(new ApiEndpoint(method, endpoint.RoutePattern.RawText!, bodyType, needsSession));
            }
        }

        return routes;
    }
}
