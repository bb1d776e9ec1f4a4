namespace JiraExport.Core.Domain;

/// <summary>
/// Where a tenant's own system wants to hear about events: the types it chose, narrowed by filters, signed with its secret
/// (Standard Webhooks). While a secret is rotated, the previous one signs too until <see cref="PreviousSecretExpiresAt"/>.
/// </summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>Event types delivered, such as <c>export.completed</c> (<see cref="Webhooks.WebhookEventTypes"/>).</summary>
    public List<string> EventTypes { get; set; } = [];

    /// <summary>Only events about these connections; empty for all.</summary>
    public List<Guid> ConnectionIds { get; set; } = [];

    /// <summary>Only exports with these templates; empty for all. Events that are not about an export pass.</summary>
    public List<string> Templates { get; set; } = [];

    /// <summary>Only issues of these projects; empty for all. Events that are not about an issue pass.</summary>
    public List<string> ProjectKeys { get; set; } = [];

    /// <summary>The signing secret (<c>whsec_…</c>), protected for the tenant.</summary>
    public required string ProtectedSecret { get; set; }

    public string? ProtectedPreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Why deliveries stopped (sustained failure), shown until the subscription is enabled again.</summary>
    public string? DisabledReason { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A new secret signs from now on; the one before still signs for <paramref name="overlap"/>, while receivers switch.</summary>
    public void RotateSecret(string protectedSecret, TimeSpan overlap, DateTimeOffset now)
    {
        ProtectedPreviousSecret = ProtectedSecret;
        PreviousSecretExpiresAt = now + overlap;
        ProtectedSecret = protectedSecret;
        UpdatedAt = now;
    }

    /// <summary>The protected secrets that sign a delivery now: the current one, and the previous one while it overlaps.</summary>
    public IEnumerable<string> SigningSecrets(DateTimeOffset now)
    {
        yield return ProtectedSecret;
        if (ProtectedPreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            yield return ProtectedPreviousSecret;
        }
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        Enabled = false;
        DisabledReason = reason;
        DisabledAt = now;
        UpdatedAt = now;
    }

    public void Enable(DateTimeOffset now)
    {
        Enabled = true;
        DisabledReason = null;
        DisabledAt = null;
        UpdatedAt = now;
    }
}
