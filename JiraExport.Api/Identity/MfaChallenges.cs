using Microsoft.AspNetCore.DataProtection;

namespace JiraExport.Api.Identity;

/// <summary>
/// The proof, between the password and the second factor, that the password was right: the user and the tenant
/// chosen, encrypted and valid for five minutes. Nothing is stored, so it works on any Api instance.
/// </summary>
public sealed class MfaChallenges(IDataProtectionProvider dataProtection)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("JiraExport.MfaChallenge.v1").ToTimeLimitedDataProtector();

    public string Issue(Guid userId, Guid tenantId) => _protector.Protect($"{userId:N}|{tenantId:N}", Lifetime);

    public bool TryRead(string mfaToken, out Guid userId, out Guid tenantId)
    {
        userId = tenantId = Guid.Empty;
        try
        {
            var parts = _protector.Unprotect(mfaToken).Split('|');
            return parts.Length == 2 && Guid.TryParse(parts[0], out userId) && Guid.TryParse(parts[1], out tenantId);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // Tampered with, expired, or from elsewhere.
        }
    }
}
