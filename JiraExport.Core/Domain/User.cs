using Microsoft.AspNetCore.Identity;

namespace JiraExport.Core.Domain;

/// <summary>A person who signs in with an email and a password. Users are global; tenants reach them through memberships.</summary>
public sealed class User : IdentityUser<Guid>
{
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set for an identity that exists in one tenant only, made by that tenant's single sign-on: it has no email login
    /// (its address is <see cref="ContactEmail"/>), so no other tenant can find, invite or take it by email.
    /// </summary>
    public Guid? HomeTenantId { get; set; }

    /// <summary>The address of a tenant-scoped identity, as its provider asserted it.</summary>
    public string? ContactEmail { get; set; }
}
