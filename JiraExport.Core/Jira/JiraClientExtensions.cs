using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace JiraExport.Core.Jira;

public static class JiraClientExtensions
{
    /// <summary>
    /// One resilient pipeline for every Jira call: 429 and 5xx retried with jittered exponential backoff,
    /// <c>Retry-After</c> honoured as the minimum wait, each attempt through the site's <see cref="JiraRateGate"/>,
    /// a timeout per attempt.
    /// </summary>
    public static IServiceCollection AddJiraClient(this IServiceCollection services)
    {
        services.AddOptions<JiraClientOptions>()
            .BindConfiguration(JiraClientOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The service-wide standard handler would retry POSTs blindly and ignore Jira's budget; this one replaces it.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to replace the defaults.
        services.AddSingleton<JiraRateGate>();
        services.AddTransient<JiraRateGateHandler>();
        var client = services.AddHttpClient<JiraClient>()
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            // Jira's REST API does not redirect, so the guard's refusal of redirects costs nothing.
            .ConfigurePrimaryHttpMessageHandler(static services => JiraNetworkGuard.CreateHandler(
                services.GetRequiredService<IOptions<JiraClientOptions>>().Value.AllowPrivateNetworks));
        client.AddResilienceHandler("jira", static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<JiraClientOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                    ShouldHandle = options.MaxRetries == 0 ? static _ => ValueTask.FromResult(false) : new HttpRetryStrategyOptions().ShouldHandle,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = options.RetryMaxDelay,
                    ShouldRetryAfterHeader = true,
                });
                // Per node (the pipeline is selected by authority): a node that keeps failing is skipped for a while,
                // so the client's failover goes straight to the next one. 429 is the site's limit, not a node failure.
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = options.NodeCircuitMinimumThroughput,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = options.NodeBreakDuration,
                    ShouldHandle = static args => ValueTask.FromResult(
                        args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                        || args.Outcome.Result is { StatusCode: >= System.Net.HttpStatusCode.InternalServerError }),
                });
            }).SelectPipelineByAuthority();

        // Inside the retries: every attempt waits for the site's turn and reports its 429s. Outside the attempt
        // timeout: a paused site's wait is not the attempt being slow.
        client.AddHttpMessageHandler<JiraRateGateHandler>();
        client.AddResilienceHandler("jira-attempt", static (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<JiraClientOptions>>().Value.AttemptTimeout));
        services.AddOptions<JiraOAuthOptions>()
            .BindConfiguration(JiraOAuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
#pragma warning disable EXTEXP0001 // As above: a retried refresh whose first attempt got through would spend a dead refresh token.
        services.AddHttpClient<JiraOAuthClient>()
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            .ConfigurePrimaryHttpMessageHandler(static services => JiraNetworkGuard.CreateHandler(
                services.GetRequiredService<IOptions<JiraClientOptions>>().Value.AllowPrivateNetworks));
        services.AddScoped<JiraSiteResolver>();
        return services;
    }
}
