using JiraExport.Core.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace JiraExport.Api.Identity;

/// <summary>Gives JWT bearer validation in the Api the signing keys straight from the key ring, not over HTTP.</summary>
public sealed class SigningKeyConfigurationManager(SigningKeyRing keyRing, IOptions<AuthOptions> options)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
        foreach (var key in await keyRing.GetPublishedKeysAsync(cancel))
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    public void RequestRefresh() => keyRing.Invalidate();
}
