using JiraExport.JiraSimulator.Endpoints;
using JiraExport.JiraSimulator.Faults;
using JiraExport.JiraSimulator.OAuth;
using JiraExport.JiraSimulator.Seed;
using JiraExport.JiraSimulator.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JiraExport.JiraSimulator;

/// <summary>Builds the Jira simulator, for <c>Program</c> and for tests that host it in-process on a real Kestrel port.</summary>
public static class JiraSimulatorApp
{
    /// <summary>
    /// Builds the app without starting it. Options bind from the "JiraSimulator" section, then <paramref name="configure"/> runs.
    /// <paramref name="services"/> runs before the defaults are added, so a test can put in its own clock (TimeProvider).
    /// </summary>
    public static WebApplication Build(string[] args, Action<JiraSimulatorOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();

        builder.Services.Configure<JiraSimulatorOptions>(builder.Configuration.GetSection(JiraSimulatorOptions.SectionName));
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        services?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultState>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<OAuthStore>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JiraSimulatorOptions>>().Value;
            return new IssueStore(SeedGenerator.Generate(options.Seed, options.IssueCount));
        });

        var app = builder.Build();

        // Generate the data now, so the first search does not pay for it.
        _ = app.Services.GetRequiredService<IssueStore>();

        app.UseMiddleware<JiraErrorMiddleware>();
        app.UseMiddleware<GatewayPathMiddleware>();
        // Jira answers /rest/api/latest/… as version 2; third-party clients (Lighthouse, for one) call it.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/rest/api/latest", out var rest))
            {
                context.Request.Path = new PathString("/rest/api/2").Add(rest);
            }

            return next(context);
        });
        // Explicit, so endpoints are matched on the path the gateway rewrote (the implicit UseRouting would run first).
        app.UseRouting();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<JiraAuthenticationMiddleware>();

        app.MapDefaultEndpoints();
        app.MapSimulatorControl();
        app.MapWebhookControl();
        app.MapDynamicWebhooks();
        app.MapSiteEndpoints();
        app.MapProjectEndpoints();
        app.MapCatalogEndpoints();
        app.MapUserEndpoints();
        app.MapCloudSearch();
        app.MapLegacySearch();
        app.MapIssueEndpoints();
        app.MapIssueMutations();
        app.MapSiteMutations();
        app.MapOAuth();
        app.MapCommentEndpoints();
        app.MapWorklogEndpoints();
        app.MapAgileBoards();
        app.MapAgileIssues();
        return app;
    }

    /// <summary>
    /// The address the started app really listens on (the port Kestrel picked for <c>:0</c>), with wildcard hosts
    /// replaced by <c>localhost</c> so a client can connect to it.
    /// </summary>
    public static Uri GetBaseAddress(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => !a.EndsWith(":0", StringComparison.Ordinal))
                      ?? throw new InvalidOperationException("The simulator is not listening yet; call StartAsync first.");

        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "[::]" or "::" or "0.0.0.0")
        {
            uri.Host = "localhost";
        }

        return uri.Uri;
    }
}
