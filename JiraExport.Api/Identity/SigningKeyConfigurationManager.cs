using JiraExport.Core.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Api.Identity;

/// <summary>Gives JWT bearer validation in the Api the signing keys straight from the key ring, not over HTTP.</summary>
public sealed class SigningKeyConfigurationManager(SigningKeyRing keyRing, IOptions<AuthOptions> options)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    // A reference, swapped whole: requests read it while another replaces it.
    private Built? _current;

    /// <summary>Asked on every authenticated request: built again only when the key ring's published keys change.</summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var keys = await keyRing.GetPublishedKeysAsync(cancel);
        if (_current is { } current && ReferenceEquals(current.Keys, keys))
        {
            return current.Configuration;
        }

        var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
        foreach (var key in keys)
        {
            configuration.SigningKeys.Add(key);
        }

        _current = new Built(keys, configuration);
        return configuration;
    }

    public void RequestRefresh() => keyRing.Invalidate();

    private sealed record Built(IReadOnlyList<JsonWebKey> Keys, OpenIdConnectConfiguration Configuration);
}
