using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>The person the test provider signs in at its next authorization request; null makes it refuse (access_denied).</summary>
public sealed record IdentityProviderPerson(string Subject, string Email, bool EmailVerified = true, string? Name = null);

/// <summary>
/// A real OpenID provider for the SSO tests: OpenIddict's server over HTTP on loopback, its clients and codes in a
/// PostgreSQL database of its own. It publishes discovery and keys, checks client secrets, redirect URIs and PKCE, and
/// signs ID tokens (RS256) — the Api talks to it exactly as to any provider. Who is "signed in" at the provider is
/// set by the test with <see cref="SignInAs"/>, as a user would at a real provider's login page.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncLifetime
{
    private WebApplication? _app;
    private IdentityProviderPerson? _person;

    public Uri Authority { get; private set; } = null!;

    public void SignInAs(IdentityProviderPerson? person) => _person = person;

    public async ValueTask InitializeAsync()
    {
        var database = $"{TestEnvironment.PostgresServer};Database=jxidp{Guid.NewGuid():N}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContext<ProviderDbContext>(options => options.UseNpgsql(database).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<ProviderDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.Email, Scopes.Profile);
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.MapMethods("/connect/authorize", ["GET", "POST"], (Func<HttpContext, IResult>)Authorize);
        _app.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)RedeemCode);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDbContext>().Database.EnsureCreatedAsync();
        }

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Authority = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Registers a confidential client allowed the code flow with PKCE, redirecting only to <paramref name="redirectUri"/>.</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, Uri redirectUri)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { redirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        await applications.CreateAsync(descriptor);
    }

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        if (_person is not { } person)
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, person.Subject));
        identity.AddClaim(new Claim(Claims.Email, person.Email));
        identity.AddClaim(new Claim(Claims.EmailVerified, person.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.AddClaim(new Claim(Claims.Name, person.Name ?? person.Email));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> RedeemCode(HttpContext http)
    {
        // The code was validated by OpenIddict (client, secret, redirect URI, PKCE, single use); its principal is re-issued.
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return result.Principal is { } principal
            ? Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
            : Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options);
}
