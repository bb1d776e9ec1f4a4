using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace JiraExport.Core.Jira;

public static class JiraClientExtensions
{
    /// <summary>
    /// One resilient pipeline for every Jira call: 429 and 5xx retried with jittered exponential backoff,
    /// <c>Retry-After</c> honoured as the minimum wait, a timeout per attempt.
    /// </summary>
    public static IServiceCollection AddJiraClient(this IServiceCollection services)
    {
        services.AddOptions<JiraClientOptions>()
            .BindConfiguration(JiraClientOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The service-wide standard handler would retry POSTs blindly and ignore Jira's budget; this one replaces it.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to replace the defaults.
        services.AddHttpClient<JiraClient>()
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            // Jira's REST API does not redirect, so the guard's refusal of redirects costs nothing.
            .ConfigurePrimaryHttpMessageHandler(static services => JiraNetworkGuard.CreateHandler(
                services.GetRequiredService<IOptions<JiraClientOptions>>().Value.AllowPrivateNetworks))
            .AddResilienceHandler("jira", static (pipeline, context) =>
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
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        return services;
    }
}
