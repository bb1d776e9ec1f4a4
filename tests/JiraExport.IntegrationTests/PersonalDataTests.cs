using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// A member's personal data: exported whole as JSON by the tenant's admins, and erased with row-level proof (every row of
/// every table of the database is searched for the person's id and address afterwards).
/// </summary>
public sealed class PersonalDataTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMembersDataIsExportedWholeThenErasedFromEveryTableButTheAuditTrailAndTheTenantsHistoryStaysUnderAPseudonym()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var email = $"member-{Guid.NewGuid():N}@{account.Slug}.example.com";
        using (var accepted = await system.InviteAndAcceptAsync(owner, email, "admin", UserAccounts.Password, Token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var wrong = await system.RequestTokenAsync(email, "not the password", Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var signIn = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        var memberToken = (await signIn.Content.ReadFromJsonAsync<TokenPair>(Token))!;
        using var member = system.CreateUserClient(memberToken.AccessToken);
        var memberId = (await owner.GetFromJsonAsync<List<Member>>("/api/v1/users", Token))!.Single(m => m.Email == email).UserId;

        // What the member does leaves traces in many tables: the audit trail, an export, a key, a schedule that mails them.
        using (var connection = await owner.PostAsJsonAsync("/api/v1/connections", new
               {
                   name = "Simulator", baseUrl = system.SimulatorAddress.ToString(), deployment = "cloud",
                   auth = new { type = "basic", email = "demo@example.com", apiToken = "sim-api-token" },
               }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        }

        var connectionId = (await owner.GetFromJsonAsync<List<JsonObject>>("/api/v1/connections", Token))!.Single()["id"]!.GetValue<Guid>();
        using (var renamed = await member.PatchAsJsonAsync("/api/v1/tenant", new { name = "Renamed by the member" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        using var exported = await member.PostAsJsonAsync("/api/v1/exports", new { connectionId, jql = "key = GAMMA-1", format = "csv" }, Token);
        Assert.Equal(HttpStatusCode.Accepted, exported.StatusCode);
        var exportId = (await exported.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<Guid>();
        using (var key = await member.PostAsJsonAsync("/api/v1/api-keys", new { name = "member's key", scopes = new[] { "exports:read" } }, Token))
        {
            Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        }

        using var schedule = await member.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "Weekly", connectionId, jql = "key = GAMMA-1", cron = "0 7 * * 1", recipients = new[] { email, account.Email },
        }, Token);
        Assert.Equal(HttpStatusCode.Created, schedule.StatusCode);
        var scheduleId = (await schedule.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<Guid>();
        // A colleague whose address holds the member's as a part ("jo" + it) is someone else: their schedule keeps its author.
        var colleagueEmail = "jo" + email;
        using (var accepted = await system.InviteAndAcceptAsync(owner, colleagueEmail, "member", UserAccounts.Password, Token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var colleagueSignIn = await system.RequestTokenAsync(colleagueEmail, UserAccounts.Password, Token);
        using var colleague = system.CreateUserClient((await colleagueSignIn.Content.ReadFromJsonAsync<TokenPair>(Token))!.AccessToken);
        using var colleagueSchedule = await colleague.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "Colleague's", connectionId, jql = "key = GAMMA-1", cron = "0 7 * * 2", recipients = new[] { colleagueEmail },
        }, Token);
        Assert.Equal(HttpStatusCode.Created, colleagueSchedule.StatusCode);
        var colleagueScheduleId = (await colleagueSchedule.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<Guid>();

        await Polling.UntilAsync(() => system.ReadAsOwnerAsync("SELECT count(*)::text FROM principal_usage_days WHERE principal_id = @member",
            new Dictionary<string, object> { ["member"] = memberId }, Token), rows => rows.Single() != "0", TimeSpan.FromSeconds(20), Token);

        // The export of everything about them.
        var data = (await owner.GetFromJsonAsync<JsonObject>($"/api/v1/users/{memberId}/personal-data", Token))!;
        Assert.Equal(email, data["account"]!["email"]!.GetValue<string>());
        Assert.Equal("admin", data["membership"]!["role"]!.GetValue<string>());
        Assert.NotEmpty(data["sessions"]!.AsArray());
        Assert.Contains(data["auditTrail"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "UpdateTenant");
        Assert.Equal(exportId, Assert.Single(data["exports"]!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.NotEmpty(data["usage"]!.AsArray());
        Assert.Equal(scheduleId, Assert.Single(data["reportSchedulesMailingThem"]!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.Contains(data["securityEvents"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "user.invitation_accepted");

        // The erasure.
        using var erased = await owner.PostAsync($"/api/v1/users/{memberId}/erasure", null, Token);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var erasure = (await erased.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        Assert.True(erasure["accountDeleted"]!.GetValue<bool>());
        var pseudonym = erasure["pseudonym"]!.GetValue<Guid>();

        // Row-level proof: every row of every table, as JSON text, searched for the person's id and address.
        var holding = await TablesHoldingAsync(memberId.ToString(), email);
        Assert.Equal(["audit_log"], holding);
        // The audit trail keeps their entries, now naming no account.
        Assert.Contains(await system.ReadAsOwnerAsync("SELECT action FROM audit_log WHERE actor_id = @member",
            new Dictionary<string, object> { ["member"] = memberId }, Token), a => a == "UpdateTenant");

        // The tenant's history stays, under the pseudonym.
        Assert.Equal(["api_keys", "exports", "principal_usage_days", "security_events"], await TablesHoldingAsync(pseudonym.ToString("D")));
        Assert.Equal(pseudonym.ToString(), (await system.ReadAsOwnerAsync("SELECT requested_by_id::text FROM exports WHERE id = @export",
            new Dictionary<string, object> { ["export"] = exportId }, Token)).Single());
        Assert.Equal([account.Email], await system.ReadAsOwnerAsync("SELECT unnest(recipients) FROM report_schedules WHERE id = @schedule",
            new Dictionary<string, object> { ["schedule"] = scheduleId }, Token));

        var colleagues = Assert.Single(await system.ReadAsOwnerAsync(
            "SELECT created_by || ' -> ' || array_to_string(recipients, ',') FROM report_schedules WHERE id = @schedule",
            new Dictionary<string, object> { ["schedule"] = colleagueScheduleId }, Token));
        Assert.Equal($"{colleagueEmail} -> {colleagueEmail}", colleagues);

        // Their token stopped working at once, and the account is gone.
        using var after = await member.GetAsync("/api/v1/tenant", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var again = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task AnAdminCannotEraseAnOwnerAndNoOneCanEraseAPersonOfAnotherTenant()
    {
        var account = await system.SignUpAsync(Token);
        using var owner = system.CreateUserClient((await system.SignInAsync(account, Token)).AccessToken);
        var email = $"admin-{Guid.NewGuid():N}@{account.Slug}.example.com";
        using (var accepted = await system.InviteAndAcceptAsync(owner, email, "admin", UserAccounts.Password, Token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var signIn = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        using var admin = system.CreateUserClient((await signIn.Content.ReadFromJsonAsync<TokenPair>(Token))!.AccessToken);
        using (var refused = await admin.PostAsync($"/api/v1/users/{account.UserId}/erasure", null, Token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var adminId = (await owner.GetFromJsonAsync<List<Member>>("/api/v1/users", Token))!.Single(m => m.Email == email).UserId;
        using (var self = await admin.PostAsync($"/api/v1/users/{adminId}/erasure", null, Token))
        {
            Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        }

        var other = await system.SignUpAsync(Token);
        using var otherOwner = system.CreateUserClient((await system.SignInAsync(other, Token)).AccessToken);
        using (var elsewhere = await otherOwner.PostAsync($"/api/v1/users/{account.UserId}/erasure", null, Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        }

        using (var theirData = await otherOwner.GetAsync($"/api/v1/users/{account.UserId}/personal-data", Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirData.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/tenant", Token)).StatusCode);
    }

    /// <summary>
    /// The tables with a row whose text (every column, as JSON) holds one of <paramref name="needles"/> as a whole word, in
    /// any case: an address inside a longer one (jo + it) is someone else's.
    /// </summary>
    private async Task<List<string>> TablesHoldingAsync(params string[] needles)
    {
        var tables = await system.ReadAsOwnerAsync(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory' ORDER BY tablename",
            new Dictionary<string, object>(), Token);
        var parameters = needles.Select((needle, i) => (Name: $"n{i}", Pattern: $"(^|[^a-z0-9._%+-]){Escape(needle)}($|[^a-z0-9.-])"))
            .ToDictionary(p => p.Name, p => (object)p.Pattern);
        var condition = string.Join(" OR ", parameters.Keys.Select(name => $"to_jsonb(t)::text ~* @{name}"));
        var holding = new List<string>();
        foreach (var table in tables)
        {
            if ((await system.ReadAsOwnerAsync($"SELECT count(*)::text FROM {table} t WHERE {condition}", parameters, Token)).Single() != "0")
            {
                holding.Add(table);
            }
        }

        return holding;
    }

    private static string Escape(string value) => string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : "\\" + c));

    private sealed record Member(Guid UserId, string Email);
}
