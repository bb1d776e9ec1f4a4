namespace JiraExport.Core.Domain;

/// <summary>Who calls the Api: a person signed in, or an API key acting for the tenant.</summary>
public static class PrincipalKinds
{
    public const string User = "user";
    public const string ApiKey = "apiKey";

    /// <summary>The platform operator, with the admin key: in a tenant's audit trail only (the key names no one).</summary>
    public const string PlatformAdmin = "platformAdmin";
}

/// <summary>
/// The requests one person or API key of a tenant made to one endpoint (by its name) on one UTC day. Rows only grow, by
/// atomic upserts of what each Api instance tallied, so concurrent writers never lose counts.
/// </summary>
public sealed class PrincipalUsageDay
{
    public Guid TenantId { get; set; }
    public DateOnly Day { get; set; }

    /// <summary>The user's or the API key's id (<see cref="PrincipalKind"/> says which).</summary>
    public Guid PrincipalId { get; set; }
    public required string PrincipalKind { get; set; }

    /// <summary>The endpoint's name (<c>CreateExport</c>), as the API reference lists it.</summary>
    public required string Endpoint { get; set; }
    public long Requests { get; set; }
}
