using Microsoft.AspNetCore.Identity;

namespace JiraExport.Core.Domain;

/// <summary>A person who signs in with an email and a password. Users are global; tenants reach them through memberships.</summary>
public sealed class User : IdentityUser<Guid>
{
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
