using Scalar.AspNetCore;

namespace JiraExport.Api.Extensions;

/// <summary>
/// Headers every answer carries: no content sniffing, no referrer, no framing; an HTML answer (a template preview, whose
/// markup a tenant wrote) runs nothing and loads nothing but inline styles and data: images and fonts; HSTS over HTTPS.
/// </summary>
internal static class SecurityHeaders
{
    private const string HtmlPolicy =
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

    /// <summary>Scalar's API reference (<c>/scalar</c>): its own scripts, each tagged with this answer's nonce, and nothing from elsewhere.</summary>
    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'nonce-{0}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>An answer that sets this item (a string) is sent with that policy instead (the dashboard page's).</summary>
    public const string PolicyItem = "jx:content-security-policy";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // Only sent over HTTPS (a proxy's X-Forwarded-Proto counts when the proxy is trusted), and never for localhost.
        app.UseHsts();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    headers.ContentSecurityPolicy = context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce
                        ? string.Format(System.Globalization.CultureInfo.InvariantCulture, ApiReferencePolicy, nonce)
                        : HtmlPolicy;
                }

                if (context.Items[PolicyItem] is string policy)
                {
                    headers.ContentSecurityPolicy = policy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
