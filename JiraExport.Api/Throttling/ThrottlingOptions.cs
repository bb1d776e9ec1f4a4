using System.ComponentModel.DataAnnotations;

namespace JiraExport.Api.Throttling;

/// <summary>Request limits per minute, counted in Redis so they hold across Api instances.</summary>
public sealed class ThrottlingOptions
{
    public const string SectionName = "Throttling";

    /// <summary>Sign-in, signup, token, invitation, verification and SSO calls from one client address.</summary>
    [Range(1, 10_000_000)]
    public int AnonymousPerAddressPerMinute { get; set; } = 60;

    /// <summary>Requests of one signed-in person or API key, whatever its tenant's plan allows.</summary>
    [Range(1, 10_000_000)]
    public int PerPrincipalPerMinute { get; set; } = 1200;
}
