using JiraExport.Core.Domain;
using Microsoft.AspNetCore.Identity;

namespace JiraExport.Api.Identity;

/// <summary>
/// Identity's email rule, for two kinds of account: a global account signs in by its email, which must be present and
/// unique; a tenant-scoped identity (<see cref="User.HomeTenantId"/>) has no email login at all, so it never collides
/// with, nor can be found as, the account of the same address.
/// </summary>
public sealed class AccountEmailValidator : IUserValidator<User>
{
    private static readonly System.ComponentModel.DataAnnotations.EmailAddressAttribute EmailFormat = new();

    public async Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user)
    {
        if (user.HomeTenantId is not null)
        {
            return user.Email is null
                ? IdentityResult.Success
                : IdentityResult.Failed(new IdentityError { Code = "ScopedIdentityEmail", Description = "A tenant-scoped identity has no email login." });
        }

        if (string.IsNullOrWhiteSpace(user.Email) || !EmailFormat.IsValid(user.Email))
        {
            return IdentityResult.Failed(manager.ErrorDescriber.InvalidEmail(user.Email));
        }

        var owner = await manager.FindByEmailAsync(user.Email);
        return owner is not null && owner.Id != user.Id
            ? IdentityResult.Failed(manager.ErrorDescriber.DuplicateEmail(user.Email))
            : IdentityResult.Success;
    }
}
