using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JiraExport.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>A client retries a create after a timeout: with an Idempotency-Key it gets the first answer, never a second resource.</summary>
public abstract class IdempotencyTests(JiraExportSystem system)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheSameKeyAndBodyAnswerAsTheFirstTimeAndCreateOneExport()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();
        var body = Export(tenant, "key = DELTA-1");

        using var first = await PostAsync(tenant.Client, "/api/v1/exports", body, key);
        using var retry = await PostAsync(tenant.Client, "/api/v1/exports", body, key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
        Assert.Equal(id, (await retry.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["1"], await system.ReadAsOwnerAsync(
            "SELECT count(*)::text FROM exports WHERE tenant_id = @tenant", new Dictionary<string, object> { ["tenant"] = tenant.TenantId }, Token));
    }

    [Fact]
    public async Task ARetriedTemplateCreationGetsItsFirstAnswerNotItsOwnNameTaken()
    {
        // The rule "the name is free" reads the store, and the first create took the name: the key must answer first.
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();
        var body = new { name = $"retried-{Guid.NewGuid():N}"[..30], copyFrom = "issue-list" };

        using var first = await PostAsync(tenant.Client, "/api/v1/templates", body, key);
        using var retry = await PostAsync(tenant.Client, "/api/v1/templates", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);

        // Without the key, the same body is refused by the rule the retry skipped.
        using var again = await tenant.Client.PostAsJsonAsync("/api/v1/templates", body, Token);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("exists already", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIs422AndCreatesNothing()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(tenant.Client, "/api/v1/exports", Export(tenant, "key = DELTA-1"), key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var other = await PostAsync(tenant.Client, "/api/v1/exports", Export(tenant, "key = DELTA-2"), key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Contains("different method, path or body", await other.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        // The same key on another create (another path) is another request too.
        using var elsewhere = await PostAsync(tenant.Client, "/api/v1/connections", new { name = "x" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.Equal(["1"], await system.ReadAsOwnerAsync(
            "SELECT count(*)::text FROM exports WHERE tenant_id = @tenant", new Dictionary<string, object> { ["tenant"] = tenant.TenantId }, Token));
    }

    [Fact]
    public async Task ARetryWhileTheFirstStillRunsIs409ThenGetsTheFirstAnswer()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();
        var body = Export(tenant, "key = DELTA-1");

        // Hold the tenant row the export quota locks, so the first request stops inside, its key claimed.
        await using var owner = new NpgsqlConnection(system.OwnerConnectionString);
        await owner.OpenAsync(Token);
        await using var hold = await owner.BeginTransactionAsync(Token);
        await using (var lockTenant = new NpgsqlCommand("SELECT 1 FROM tenants WHERE id = @id FOR UPDATE", owner, hold))
        {
            lockTenant.Parameters.AddWithValue("id", tenant.TenantId);
            await lockTenant.ExecuteNonQueryAsync(Token);
        }

        var firstTask = PostAsync(tenant.Client, "/api/v1/exports", body, key);
        await WaitUntilWaitingForTheTenantRowAsync(owner.ProcessID);

        using (var whileRunning = await PostAsync(tenant.Client, "/api/v1/exports", body, key))
        {
            Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
            Assert.Equal("1", whileRunning.Headers.GetValues("Retry-After").Single());
            Assert.Contains("still running", await whileRunning.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }

        await hold.RollbackAsync(Token);
        using var first = await firstTask;
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var after = await PostAsync(tenant.Client, "/api/v1/exports", body, key);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Token), await after.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task AnotherTenantsSameKeyIsItsOwnAndNeverGetsTheFirstTenantsAnswer()
    {
        var victim = await system.CreateTenantAsync(Token);
        var attacker = await system.CreateTenantAsync(Token);
        var key = "shared-" + Guid.NewGuid();
        var body = new { name = "Ops key", scopes = new[] { "exports:read" } };

        using var victims = await PostAsync(victim.Client, "/api/v1/api-keys", body, key);
        using var attackers = await PostAsync(attacker.Client, "/api/v1/api-keys", body, key);

        Assert.Equal(HttpStatusCode.Created, victims.StatusCode);
        Assert.Equal(HttpStatusCode.Created, attackers.StatusCode);
        Assert.False(attackers.Headers.Contains("Idempotent-Replayed"));
        var victimKey = (await victims.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("key").GetString();
        var attackerAnswer = await attackers.Content.ReadAsStringAsync(Token);
        Assert.DoesNotContain(victimKey!, attackerAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCallerOfTheSameTenantReusingAKeyGets422NotTheFirstCallersAnswer()
    {
        // A member with tenant:admin but no export scopes replays the owner's key creation to obtain a key with more scopes.
        var tenant = await system.CreateTenantAsync(Token);
        using var adminOnly = await tenant.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "admin only", scopes = new[] { "tenant:admin" } }, Token);
        using var other = system.CreateApiClient((await adminOnly.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("key").GetString());
        var key = "ci-key";
        var body = new { name = "ci", scopes = new[] { "exports:write" } };

        using var owners = await PostAsync(tenant.Client, "/api/v1/api-keys", body, key);
        using var replayed = await PostAsync(other, "/api/v1/api-keys", body, key);

        Assert.Equal(HttpStatusCode.Created, owners.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replayed.StatusCode);
        var secret = (await owners.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("key").GetString()!;
        Assert.DoesNotContain(secret, await replayed.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeptAnswerIsEncryptedAtRestAndARetriedApiKeyCreationShowsTheSameKey()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();
        var body = new { name = "CI key", scopes = new[] { "exports:read" } };

        using var first = await PostAsync(tenant.Client, "/api/v1/api-keys", body, key);
        using var retry = await PostAsync(tenant.Client, "/api/v1/api-keys", body, key);

        var secret = (await first.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("key").GetString()!;
        Assert.Equal(secret, (await retry.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("key").GetString());
        var stored = Assert.Single(await system.ReadAsOwnerAsync(
            "SELECT protected_response FROM idempotent_requests WHERE tenant_id = @tenant AND key = @key",
            new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["key"] = key }, Token));
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        // Nor is the body's digest there to test guesses of a secret it held against.
        Assert.StartsWith("t1.", Assert.Single(await system.ReadAsOwnerAsync(
            "SELECT fingerprint FROM idempotent_requests WHERE tenant_id = @tenant AND key = @key",
            new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["key"] = key }, Token)), StringComparison.Ordinal);
        Assert.Equal(["1"], await system.ReadAsOwnerAsync(
            "SELECT count(*)::text FROM api_keys WHERE tenant_id = @tenant AND name = 'CI key'",
            new Dictionary<string, object> { ["tenant"] = tenant.TenantId }, Token));
    }

    [Fact]
    public async Task ARefusedRequestFreesItsKeyForTheCorrectedOne()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();

        using var refused = await PostAsync(tenant.Client, "/api/v1/exports", Export(tenant, ""), key);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var corrected = await PostAsync(tenant.Client, "/api/v1/exports", Export(tenant, "key = DELTA-1"), key);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
    }

    [Fact]
    public async Task TheAdminsTenantCreationRunsOnceAndAnExpiredKeyRunsAgain()
    {
        using var admin = system.CreateApiClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
        var key = Guid.NewGuid().ToString();
        var slug = "idem-" + Guid.NewGuid().ToString("N")[..10];

        using var first = await PostAsync(admin, "/api/v1/tenants", new { name = "Idempotent", slug }, key);
        using var retry = await PostAsync(admin, "/api/v1/tenants", new { name = "Idempotent", slug }, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Token), await retry.Content.ReadAsStringAsync(Token));

        // A day later the key is forgotten: the same request runs again (and now finds the slug taken).
        await system.ExecuteAsOwnerAsync("UPDATE idempotent_requests SET expires_at = now() - interval '1 second' WHERE key = @key",
            new Dictionary<string, object> { ["key"] = key }, Token);
        using var later = await PostAsync(admin, "/api/v1/tenants", new { name = "Idempotent", slug }, key);
        Assert.Equal(HttpStatusCode.Conflict, later.StatusCode);
        Assert.False(later.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task AnAnswerPastItsDayIsDeletedAlsoForATenantThatSendsNothingMore()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var key = Guid.NewGuid().ToString();
        using var created = await PostAsync(tenant.Client, "/api/v1/api-keys", new { name = "dormant", scopes = new[] { "exports:read" } }, key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var parameters = new Dictionary<string, object> { ["tenant"] = tenant.TenantId, ["key"] = key };
        await system.ExecuteAsOwnerAsync(
            "UPDATE idempotent_requests SET expires_at = now() - interval '1 second' WHERE tenant_id = @tenant AND key = @key", parameters, Token);

        // The Worker's retention round (every half second here) deletes it; the tenant sends no request that would.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while ((await system.ReadAsOwnerAsync("SELECT key FROM idempotent_requests WHERE tenant_id = @tenant AND key = @key", parameters, timeout.Token)).Count > 0)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a-key-of-256-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task AMalformedKeyIs400(string key)
    {
        var tenant = await system.CreateTenantAsync(Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/exports") { Content = JsonContent.Create(new { jql = "key = DELTA-1" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await tenant.Client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    private static object Export(TestTenant tenant, string jql) => new { connectionId = tenant.ConnectionId, jql, format = "csv" };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Token);
    }

    /// <summary>
    /// The first request has claimed its key (uncommitted, so unseen here) once it waits for the tenant row that backend
    /// <paramref name="holder"/> holds.
    /// </summary>
    private async Task WaitUntilWaitingForTheTenantRowAsync(int holder)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        const string waiting = "SELECT pid::text FROM pg_stat_activity WHERE @holder = ANY(pg_blocking_pids(pid))";
        while ((await system.ReadAsOwnerAsync(waiting, new Dictionary<string, object> { ["holder"] = holder }, timeout.Token)).Count == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}

/// <summary>The behaviour above, on API v1.</summary>
public sealed class IdempotencyTestsOnV1(JiraExportSystem system) : IdempotencyTests(system), IClassFixture<JiraExportSystem>;

/// <summary>The same behaviour on API v2.</summary>
public sealed class IdempotencyTestsOnV2(JiraExportSystemOnV2 system) : IdempotencyTests(system), IClassFixture<JiraExportSystemOnV2>;
