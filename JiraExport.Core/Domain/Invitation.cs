namespace JiraExport.Core.Domain;

/// <summary>
/// A tenant's offer of a role to whoever reads the mailbox of <see cref="Email"/>: the mailed one-time token (stored only
/// as its SHA-256) is the proof. It belongs to one tenant, so no other tenant can see, accept or redirect it.
/// </summary>
public sealed class Invitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Email { get; set; }
    public TenantRole Role { get; set; }
    public required byte[] TokenHash { get; set; }
    public Guid? InvitedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public Guid? AcceptedByUserId { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;

    public void Accept(Guid userId, DateTimeOffset now)
    {
        if (!IsOpen(now))
        {
            throw new InvalidOperationException($"Invitation {Id} is not open.");
        }

        AcceptedAt = now;
        AcceptedByUserId = userId;
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
