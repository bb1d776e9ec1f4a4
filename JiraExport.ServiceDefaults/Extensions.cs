using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Telemetry, health, service discovery and resilience shared by every service.</summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddGracefulShutdown();
        builder.AddDefaultHealthChecks();
        builder.AddTrustedProxies();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var scrape = builder.Configuration.GetSection(MetricsScrapeOptions.SectionName).Get<MetricsScrapeOptions>();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(TelemetryNames.Meters);
                if (scrape?.Port is int port)
                {
                    // Its own listener, not a route: the scrape port is never the public one, so a gateway or a
                    // NetworkPolicy can keep it to Prometheus.
                    metrics.AddPrometheusHttpListener(options =>
                    {
                        options.Port = port;
                        if (scrape.Host is not ("+" or "*"))
                        {
                            options.Host = scrape.Host;
                            return;
                        }

                        // Every interface (as in a pod) is no host a URI can hold, and the exporter builds one from
                        // Host: it gets localhost, and the listener's prefixes are given the wildcard instead.
                        options.ConfigureHttpListener = (_, listener) =>
                        {
                            var prefixes = listener.Prefixes.ToList();
                            listener.Prefixes.Clear();
                            foreach (var prefix in prefixes)
                            {
                                listener.Prefixes.Add(prefix.Replace("://localhost:", $"://{scrape.Host}:", StringComparison.Ordinal));
                            }
                        };
                    });
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, TelemetryNames.Messaging, TelemetryNames.Exports)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>Leaving without failing anyone: drain first (see <see cref="ShutdownDrain"/>), then the grace period for work in hand.</summary>
    public static TBuilder AddGracefulShutdown<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(ShutdownOptions.SectionName);
        builder.Services.Configure<ShutdownOptions>(section);
        var shutdown = section.Get<ShutdownOptions>() ?? new ShutdownOptions();
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = shutdown.DrainDelay + shutdown.GracePeriod;
            // Every queue consumer stops taking messages at once; one after another, the later ones kept taking work the
            // grace period then abandoned (redelivered, its side effects repeated).
            host.ServicesStopConcurrently = true;
        });
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ShutdownDrain>());
        // Not ready while draining (/health answers 503), still alive.
        builder.Services.AddHealthChecks().AddCheck<ShutdownDrain>("shutdown");
        return builder;
    }

    /// <summary>Maps /health (ready: every dependency) and /alive (live) in every environment: Kubernetes probes need both.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes are not traffic: left out of the request metrics, they cannot flatter a latency or error objective.
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
        }).DisableHttpMetrics();
        return app;
    }
}
