namespace JiraExport.Api.Extensions;

/// <summary>
/// Headers every answer carries: no content sniffing, no referrer, no framing; an HTML answer (a template preview, whose
/// markup a tenant wrote) runs nothing and loads nothing but inline styles and data: images and fonts; HSTS over HTTPS.
/// </summary>
internal static class SecurityHeaders
{
    private const string HtmlPolicy =
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

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
                    headers.ContentSecurityPolicy = HtmlPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
