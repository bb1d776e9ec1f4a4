using JiraExport.Core.Caching;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Core.Identity;

public static class AuthenticationExtensions
{
    /// <summary>The default scheme: picks the API key handler or JWT bearer validation by the credential's shape.</summary>
    public const string DefaultScheme = "JiraExport";

    /// <summary>Policy of the endpoints that act on the caller's own sign-in (logout, sessions): JWT users only.</summary>
    public const string UserSessionPolicy = "user-session";

    /// <summary>
    /// API keys and access tokens, accepted everywhere the same way. Access tokens are validated per RFC 8725: ES256
    /// only, <c>at+jwt</c> type, issuer, audience, lifetime with at most a minute of skew, and a session that has not
    /// been revoked. Where the signing keys come from is the caller's choice (Api: its database; Realtime: the JWKS).
    /// </summary>
    public static AuthenticationBuilder AddJiraExportAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddJiraExportCache();
        builder.Services.AddSingleton<SessionDenyList>();
        builder.Services.AddSingleton<ApiKeyCache>();

        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((options, auth) => ConfigureJwtBearer(options, auth.Value));

        builder.Services.AddAuthorizationBuilder().AddJiraExportPolicies();

        return builder.Services
            .AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "API key or access token", options =>
                options.ForwardDefaultSelector = context => PresentsApiKey(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
    }

    /// <summary>One policy per scope, named as the scope: the caller acts for a tenant and holds that scope.</summary>
    private static AuthorizationBuilder AddJiraExportPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .RequireClaim(JiraExportClaims.Tenant)
                .RequireAssertion(context => context.User.HasScope(scope)));
        }

        return authorization.AddPolicy(UserSessionPolicy, policy => policy
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireClaim(JiraExportClaims.Tenant)
            .RequireClaim(JiraExportClaims.Session)
            .RequireClaim(JiraExportClaims.Subject));
    }

    private static bool PresentsApiKey(HttpRequest request) =>
        request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
        || request.Headers.Authorization.ToString().StartsWith("Bearer " + ApiKeys.KeyPrefix, StringComparison.Ordinal)
        || (request.Path.StartsWithSegments("/hubs")
            && request.Query["access_token"].ToString().StartsWith(ApiKeys.KeyPrefix, StringComparison.Ordinal));

    /// <summary>The access-token checks of RFC 8725 and RFC 9068; the signing keys come from the configuration manager.</summary>
    public static TokenValidationParameters CreateValidationParameters(AuthOptions auth) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ValidTypes = [AuthOptions.TokenType],
        ClockSkew = AuthOptions.ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        NameClaimType = JiraExportClaims.Subject,
    };

    private static void ConfigureJwtBearer(JwtBearerOptions options, AuthOptions auth)
    {
        options.MapInboundClaims = false;
        options.RefreshOnIssuerKeyNotFound = true;
        options.AutomaticRefreshInterval = auth.JwksRefreshInterval;

        // A token with a kid not yet seen re-reads the JWKS at most this often (the default is 5 minutes).
        options.RefreshInterval = TimeSpan.FromSeconds(30);
        if (auth.MetadataAddress is { } metadata)
        {
            options.MetadataAddress = metadata.ToString();
            // Plain HTTP only to a process on the same machine: anywhere else the key set could be forged on the way.
            options.RequireHttpsMetadata = !metadata.IsLoopback;
        }

        options.TokenValidationParameters = CreateValidationParameters(auth);
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new CachedJsonWebTokenHandler(TimeProvider.System));
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // Browsers cannot set headers on WebSockets; only the hubs take the token from the query.
                if (context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                    && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = async context =>
            {
                if (!Guid.TryParse(context.Principal?.FindFirst(JiraExportClaims.Session)?.Value, out var sessionId)
                    || !Guid.TryParse(context.Principal?.FindFirst(JiraExportClaims.Tenant)?.Value, out _))
                {
                    context.Fail("The access token names no session or tenant.");
                    return;
                }

                var denyList = context.HttpContext.RequestServices.GetRequiredService<SessionDenyList>();
                if (await denyList.IsDeniedAsync(sessionId, context.HttpContext.RequestAborted))
                {
                    context.Fail("The session of this access token was revoked.");
                }
            },
        };
    }
}
