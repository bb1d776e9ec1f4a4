using JiraExport.Api.Extensions;
using Microsoft.Extensions.Options;

namespace JiraExport.Api.Pages;

/// <summary>Where the dashboard page finds the live counters ("Dashboard" section).</summary>
public sealed class DashboardPageOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The Realtime hub's address as a browser reaches it; without it the page shows the widgets but no live counters.</summary>
    public Uri? HubUrl { get; set; }
}

/// <summary>What the page reads before it signs in: the hub to connect to.</summary>
public sealed record DashboardPageSettings(Uri? HubUrl);

/// <summary>
/// A small page (<c>/dashboard/</c>, the static files of <c>wwwroot</c>, which holds nothing else) that signs a person in and shows one of the
/// tenant's dashboards live: the widgets over REST, the counters over SignalR with the official JS client, the charts as
/// the same SVG the reports embed. It runs only its own scripts and talks only to the Api and the hub.
/// </summary>
internal static class DashboardPage
{
    public const string Path = "/dashboard";

    public static void AddDashboardPage(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<DashboardPageOptions>().BindConfiguration(DashboardPageOptions.SectionName);

    public static void UseDashboardPage(this WebApplication app)
    {
        var policy = Policy(app.Services.GetRequiredService<IOptions<DashboardPageOptions>>().Value.HubUrl);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            OnPrepareResponse = file =>
            {
                file.Context.Items[SecurityHeaders.PolicyItem] = policy;
                // A new deployment's page is taken at once: the browser asks again, and an unchanged file answers 304.
                file.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
    }

    public static void MapDashboardPage(this IEndpointRouteBuilder app) =>
        app.MapGet($"{Path}/settings", (IOptions<DashboardPageOptions> options) => TypedResults.Ok(new DashboardPageSettings(options.Value.HubUrl)))
            .AllowAnonymous()
            .ExcludeFromDescription();

    /// <summary>Its own scripts and styles only, images it made from the Api's SVG, and connections to the Api and the hub.</summary>
    private static string Policy(Uri? hub)
    {
        var hubSources = hub is null ? "" : $" {hub.GetLeftPart(UriPartial.Authority)} {(hub.Scheme == Uri.UriSchemeHttps ? "wss" : "ws")}://{hub.Authority}";
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'{hubSources}; " +
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    }
}
