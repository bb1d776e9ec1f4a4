using Npgsql;
using StackExchange.Redis;

namespace JiraExport.Core.Persistence;

/// <summary>Whether a failure is a store's absence (PostgreSQL or Redis not answering), which passes when the store is back.</summary>
public static class StoreOutages
{
    /// <summary>
    /// Redis unreachable or timing out, PostgreSQL unreachable (an I/O failure, not a slow query's command timeout),
    /// shutting down, starting up or out of connections. Anything else, such as a socket error of a call to Jira or an
    /// identity provider, is not the store's absence.
    /// </summary>
    public static bool IsStoreUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case RedisConnectionException or RedisTimeoutException:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }:
                case NpgsqlException { IsTransient: true, InnerException: not TimeoutException } and not PostgresException:
                    return true;
            }
        }

        return false;
    }
}
