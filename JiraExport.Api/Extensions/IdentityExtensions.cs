using JiraExport.Api.Identity;
using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Persistence;
using JiraExport.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;

namespace JiraExport.Api.Extensions;

internal static class IdentityExtensions
{
    /// <summary>
    /// Users on ASP.NET Core Identity (hashing, lockout), the token service, and authentication by API key or by the
    /// access tokens this Api signs — validated against its own key ring, not over HTTP.
    /// </summary>
    public static void AddUserIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<User>(options =>
            {
                // Unique emails for global accounts are AccountEmailValidator's: tenant-scoped identities have none.
                options.User.RequireUniqueEmail = false;

                // NIST SP 800-63B: length over composition rules.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;

                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddUserValidator<AccountEmailValidator>()
            .AddEntityFrameworkStores<JiraExportDbContext>()
            .AddUserStore<ProtectedUserStore>()
            .AddDefaultTokenProviders();

        // The deny-list of revoked sessions lives in Redis, and so do the cached reads and the request counters. Every
        // request makes three Redis calls; a span for each cost a quarter of the Api's cached-read throughput and pushed
        // its p99 past 50 ms (eng/bench-reads.sh), so they are off unless Aspire:StackExchange:Redis:DisableTracing=false.
        builder.AddRedisClient(ResourceNames.Redis, settings =>
            settings.DisableTracing = builder.Configuration.GetValue<bool?>("Aspire:StackExchange:Redis:DisableTracing") ?? true);

        builder.Services.AddSingleton<IdentityMetrics>();
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<SigningKeyConfigurationManager>();
        builder.Services.AddScoped<TokenService>();
        builder.Services.AddScoped<SecurityEventLog>();
        builder.Services.AddSingleton<MfaChallenges>();
        builder.Services.AddScoped<JiraExport.Core.Mail.MailOutbox>();
        builder.Services.AddOptions<AccountMailOptions>().BindConfiguration(AccountMailOptions.SectionName);
        builder.Services.AddSingleton<AccountMails>();
        builder.Services.AddScoped<EmailVerifications>();

        builder.AddJiraExportAuthentication();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyConfigurationManager>((options, keys) => options.ConfigurationManager = keys);
    }
}
