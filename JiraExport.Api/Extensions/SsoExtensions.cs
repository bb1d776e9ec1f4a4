using JiraExport.Api.Sso;
using JiraExport.Core.Jira;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace JiraExport.Api.Extensions;

internal static class SsoExtensions
{
    /// <summary>Single sign-on through each tenant's OpenID provider or SAML identity provider.</summary>
    public static void AddSingleSignOn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.SectionName);

        // Tenants name the provider's URL: the same address guard as Jira connections, and no blind retries — an
        // authorization code is good for one redemption only.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to replace the defaults.
        builder.Services.AddHttpClient(OidcProviderClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15))
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            .ConfigurePrimaryHttpMessageHandler(static services => JiraNetworkGuard.CreateHandler(
                services.GetRequiredService<IOptions<SsoOptions>>().Value.AllowPrivateNetworks))
            .AddResilienceHandler("sso", static pipeline =>
            {
                // Discovery and key sets are plain GETs: a dropped connection is retried, so one glitch at the
                // provider does not fail a person's sign-in. The code redemption (a POST) is never repeated.
                var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential };
                retry.DisableForUnsafeHttpMethods();
                pipeline.AddRetry(retry);
            });

        builder.Services.AddSingleton<OidcProviderClient>();
        builder.Services.AddSingleton<OidcSignInStates>();
        builder.Services.AddSingleton<SsoUrls>();
        builder.Services.AddSingleton<SsoReplayGuard>();
        builder.Services.AddSingleton<SsoHandoff>();
        builder.Services.AddScoped<SsoSignIn>();
    }
}
