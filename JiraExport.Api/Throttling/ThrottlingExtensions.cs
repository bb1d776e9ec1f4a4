using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using JiraExport.Core.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace JiraExport.Api.Throttling;

/// <summary>
/// ASP.NET Core rate limiting with the counts in Redis (fixed windows of a minute): anonymous sign-in routes per client
/// address (<see cref="AnonymousPolicy"/>), every authenticated request per principal. Refusals are 429 problems with
/// <c>Retry-After</c>.
/// </summary>
internal static class ThrottlingExtensions
{
    /// <summary>The policy of the routes anyone may call to sign in, sign up or redeem a token.</summary>
    public const string AnonymousPolicy = "anonymous-per-address";

    /// <summary>
    /// The policy of the analytics computations, each a pass over a connection's whole history: per tenant and instance,
    /// two at a time and sixteen waiting, so one tenant's dashboard cannot hold every core.
    /// </summary>
    public const string AnalyticsPolicy = "analytics-per-tenant";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static void AddThrottling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ThrottlingOptions>()
            .BindConfiguration(ThrottlingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(AnonymousPolicy, context =>
                Partition(context, $"address:{ClientOf(context)}", o => o.AnonymousPerAddressPerMinute));
            options.AddPolicy(AnalyticsPolicy, context => RateLimitPartition.GetConcurrencyLimiter(
                $"analytics:{context.User.FindFirstValue(JiraExportClaims.Tenant)}",
                _ => new ConcurrencyLimiterOptions { PermitLimit = 2, QueueLimit = 16, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                PrincipalOf(context.User) is { } principal
                    ? Partition(context, $"principal:{principal}", o => o.PerPrincipalPerMinute)
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = WriteProblemAsync;
        });
    }

    /// <summary>After authentication, so the global limit knows the principal.</summary>
    public static IApplicationBuilder UseThrottling(this IApplicationBuilder app) => app.UseRateLimiter();

    public static TBuilder RequireAnonymousThrottling<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(AnonymousPolicy);

    public static TBuilder RequireAnalyticsThrottling<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(AnalyticsPolicy);

    private static RateLimitPartition<string> Partition(HttpContext context, string key, Func<ThrottlingOptions, int> limit)
    {
        var services = context.RequestServices;
        var prefix = services.GetRequiredService<IOptions<AuthOptions>>().Value.RedisKeyPrefix;
        var permits = limit(services.GetRequiredService<IOptions<ThrottlingOptions>>().Value);
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        return RateLimitPartition.Get($"{prefix}:throttle:{key}:{permits}", partition => new IdleTrackingRateLimiter(
            new RedisFixedWindowRateLimiter<string>(partition, new RedisFixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = Window,
                ConnectionMultiplexerFactory = () => redis,
            })));
    }

    /// <summary>
    /// The client's address as the connection (or a known proxy, see ForwardedHeadersSetup) gives it. An IPv6 client
    /// counts by its /64, which one machine usually holds whole: by single address it could take a fresh allowance per
    /// request.
    /// </summary>
    private static string ClientOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    /// <summary>The signed-in person's session or user, or the API key: whatever the request authenticated as.</summary>
    private static string? PrincipalOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(JiraExportClaims.Subject) ?? user.FindFirstValue(Core.Tenancy.ApiKeyAuthenticationHandler.ApiKeyClaim)
              ?? user.FindFirstValue(JiraExportClaims.Tenant)
            : null;

    private static async ValueTask WriteProblemAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var retryAfter) && retryAfter > 0
            ? retryAfter
            : (int)Window.TotalSeconds;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Too many requests from this client; try again in {seconds} seconds.",
            },
        });
    }
}
