using Microsoft.AspNetCore.Mvc;

namespace JiraExport.Api.Extensions;

/// <summary>
/// Larger request bodies for the few endpoints that carry files inline: every other request stays under
/// <see cref="Extensions.MaxRequestBodyBytes"/>. Routing applies the endpoint's limit before the body is read.
/// </summary>
internal static class RequestBodyLimits
{
    /// <summary>A template: 256 K characters of Liquid, 128 K of CSS and 2 MiB of assets, which base64 makes 2.7 MiB.</summary>
    public const long Template = 4 * 1024 * 1024;

    /// <summary>Branding: a 256 KiB logo as base64, and a few short texts.</summary>
    public const long Branding = 512 * 1024;

    /// <summary>An export request or export policy with a 1 MiB watermark image as base64.</summary>
    public const long WithWatermarkImage = 2 * 1024 * 1024;

    /// <summary>
    /// A Jira webhook delivery: an issue with all its fields, or a cascade of them. Jira's own cap is 25 MB; deliveries that
    /// large are not seen in practice, and a body is only read once its connection is known to have a secret.
    /// </summary>
    public const long JiraWebhook = 10 * 1024 * 1024;

    public static RouteHandlerBuilder AcceptsBodyUpTo(this RouteHandlerBuilder endpoint, long bytes) =>
        endpoint.WithMetadata(new RequestSizeLimitAttribute(bytes));
}
