using JiraExport.Core.Domain;
using JiraExport.Core.Identity;
using JiraExport.Core.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JiraExport.Api.Identity;

/// <summary>
/// Proving an email at signup: a mailed token (Identity's, bound to the account's security stamp), redeemed together with
/// the account's password, so a mailbox owner who never signed up cannot confirm an account someone else made for it.
/// </summary>
public sealed class EmailVerifications(
    UserManager<User> users, MailOutbox mail, AccountMails mails, IConnectionMultiplexer redis, IOptions<AuthOptions> auth)
{
    /// <summary>A sign-in to an unverified account sends the mail again, at most this often.</summary>
    private static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(10);

    /// <summary>Queues the mail in the caller's unit of work; it is sent when that commits.</summary>
    public async Task QueueAsync(User user) =>
        mail.Enqueue(mails.EmailVerification(user.Email!, await users.GenerateEmailConfirmationTokenAsync(user)));

    /// <summary>Queues the mail again unless it was sent in the last ten minutes; true when queued.</summary>
    public async Task<bool> QueueAgainAsync(User user)
    {
        var key = (RedisKey)$"{auth.Value.RedisKeyPrefix}:email-verification-sent:{user.Id:N}";
        if (!await redis.GetDatabase().StringSetAsync(key, 1, ResendInterval, When.NotExists))
        {
            return false;
        }

        await QueueAsync(user);
        return true;
    }
}
