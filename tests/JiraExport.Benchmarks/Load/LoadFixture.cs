using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.Core.Domain;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JiraExport.Benchmarks.Load;

/// <summary>A tenant under load: its API key, its Jira connection (synced) and the people who sign in to it.</summary>
internal sealed record LoadTenant(int Number, string ApiKey, Guid ConnectionId, IReadOnlyList<string> Emails);

/// <summary>
/// Tenants of <see cref="UsersPerTenant"/> people each, with a synced Jira project, made through the platform operator's
/// endpoints. The people are written straight into the database (as a migration from another system would), all with the
/// same password: invitations by mail would need a mail server and thousands of mails, and signing in is what is measured.
/// </summary>
internal static class LoadFixture
{
    public const int UsersPerTenant = 100;
    public const string Password = "correct horse battery staple";

    /// <summary>What every export of the load reads: a project of the simulator's (80 issues of the 400 it is started with).</summary>
    public const string Jql = "project = GAMMA ORDER BY key";

    public static async Task<IReadOnlyList<LoadTenant>> CreateAsync(LoadTarget target, int users, CancellationToken cancellationToken)
    {
        var tenants = (users + UsersPerTenant - 1) / UsersPerTenant;
        var passwordHash = new PasswordHasher<User>().HashPassword(new User(), Password);
        return await Task.WhenAll(Enumerable.Range(0, tenants).Select(number =>
            CreateTenantAsync(target, number, Math.Min(UsersPerTenant, users - number * UsersPerTenant), passwordHash, cancellationToken)));
    }

    private static async Task<LoadTenant> CreateTenantAsync(LoadTarget target, int number, int users, string passwordHash, CancellationToken cancellationToken)
    {
        using var admin = target.CreateClient(number);
        admin.DefaultRequestHeaders.Add("X-Admin-Key", target.AdminKey);
        var slug = $"load-{number}";
        var tenant = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/tenants", new { name = $"Load {number}", slug }, cancellationToken), cancellationToken);
        var tenantId = tenant.GetProperty("id").GetGuid();
        var apiKey = tenant.GetProperty("apiKey").GetString()!;
        // The default plan's quotas (100 exports a day) would refuse most of the load: the figures are of work done.
        await ReadAsync(await admin.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/plan", new
        {
            name = "load", maxConnections = 10, maxExportsPerDay = 1_000_000, maxStoredMegabytes = 2048, maxApiRequestsPerMinute = 1_000_000,
        }, cancellationToken), cancellationToken);

        using var client = target.CreateClient(number);
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var connection = await ReadAsync(await client.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "Simulator", baseUrl = target.Jira, deployment = "cloud", auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
        }, cancellationToken), cancellationToken);
        var connectionId = connection.GetProperty("id").GetGuid();
        var job = await ReadAsync(await client.PostAsJsonAsync($"/api/v1/connections/{connectionId}/sync",
            new { mode = "full", projects = new[] { "GAMMA" } }, cancellationToken), cancellationToken);
        var jobId = job.GetProperty("jobId").GetGuid();
        for (var status = ""; status != "succeeded"; await Task.Delay(200, cancellationToken))
        {
            status = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/sync-jobs/{jobId}", cancellationToken)).GetProperty("status").GetString();
            if (status == "failed")
            {
                throw new InvalidOperationException($"The sync of tenant {slug} failed.");
            }
        }

        var emails = Enumerable.Range(1, users).Select(n => $"person-{n}@{slug}.example.com").ToArray();
        await using var db = new NpgsqlConnection(target.OwnerDatabase);
        await db.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand("""
            WITH people AS (
                INSERT INTO users (id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash,
                                   security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
                SELECT gen_random_uuid(), now(), e, upper(e), e, upper(e), true, @hash, md5(random()::text), gen_random_uuid()::text, false, false, true, 0
                FROM unnest(@emails) e
                RETURNING id)
            INSERT INTO tenant_memberships (tenant_id, user_id, role, created_at)
            SELECT @tenant, id, 'Member', now() FROM people
            """, db);
        insert.Parameters.AddWithValue("hash", passwordHash);
        insert.Parameters.AddWithValue("emails", emails);
        insert.Parameters.AddWithValue("tenant", tenantId);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return new LoadTenant(number, apiKey, connectionId, emails);
    }

    /// <summary>The JSON of a successful answer; a failed one throws with its problem details.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri?.PathAndQuery}: {body}");
            }

            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
