using System.Security.Cryptography;
using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace JiraExport.Api.Identity;

/// <summary>
/// Identity's user store with the authenticator (TOTP) secret encrypted at rest by Data Protection: a dump of
/// <c>user_tokens</c> alone yields no second factor. A secret stored before this was plain text and is read as such.
/// </summary>
public sealed class ProtectedUserStore(JiraExportDbContext db, IDataProtectionProvider dataProtection, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<User, JiraExportDbContext, Guid>(db, describer)
{
    // Never change: stored secrets are decrypted with the same purpose.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("JiraExport.Identity.AuthenticatorKey.v1");

    public override Task SetAuthenticatorKeyAsync(User user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, _protector.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(User user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return stored; // Written before secrets were encrypted.
        }
    }
}
