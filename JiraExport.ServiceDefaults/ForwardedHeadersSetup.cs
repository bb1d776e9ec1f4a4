using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JiraExport.ServiceDefaults;

/// <summary>
/// Which proxies may say who the client is. <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> (set for containers) trusts
/// <c>X-Forwarded-For</c> from anyone, which would let every request claim a new address and walk past the per-address
/// limits. Only the networks in <c>ForwardedHeaders:KnownNetworks</c> (CIDR, e.g. the gateway's) are trusted; none by default.
/// Every service applies it: the gateway too, which Aspire publishes with that variable set.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static void AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        var networks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.PostConfigure<ForwardedHeadersOptions>(options =>
        {
            // Empty lists of known proxies mean "trust every sender" to the middleware, so with none configured it reads nothing.
            options.ForwardedHeaders = networks.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }
}
