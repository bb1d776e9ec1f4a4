using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>Usage per person for the tenant's admins: who called which endpoint, and who exported what.</summary>
public sealed partial class QuotaTests
{
    [Fact]
    public async Task AdminsSeeEachPersonsAndKeysRequestsByEndpointAndWhatTheyExportedAndNoOneElseDoes()
    {
        var tenant = await system.CreateTenantAsync(Token);
        var email = $"member@{tenant.TenantId:N}.example.com";
        using (var accepted = await system.InviteAndAcceptAsync(tenant.Client, email, "member", UserAccounts.Password, Token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var tokenResponse = await system.RequestTokenAsync(email, UserAccounts.Password, Token);
        var tokens = (await tokenResponse.Content.ReadFromJsonAsync<TokenPair>(Token))!;
        using var member = system.CreateUserClient(tokens.AccessToken);
        var memberId = (Guid)(await tenant.Client.GetFromJsonAsync<JsonArray>("/api/v1/users", Token))!.Single(m => (string)m!["email"]! == email)!["userId"]!;

        // The person exports two issues as CSV and lists the exports twice; the tenant's key exports one as JSON.
        var personal = await RequestAsync(member, new { connectionId = tenant.ConnectionId, jql = "key in (DELTA-1, DELTA-2)", format = "csv" });
        await member.GetStringAsync("/api/v2/exports", Token);
        await member.GetStringAsync("/api/v2/exports", Token);
        var automated = await RequestAsync(tenant.Client, new { connectionId = tenant.ConnectionId, jql = "key = DELTA-3", format = "json" });
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(personal, Token)).Status);
        Assert.Equal("succeeded", (await tenant.WaitForExportToFinishAsync(automated, Token)).Status);

        // Counts reach the durable rows within the flush interval (half a second here), the key's perhaps a flush later.
        var people = await Polling.UntilAsync(() => PeopleAsync(tenant.Client),
            p => Requests(p, memberId, "ListExports") == 2 && People(p).Any(k => (string)k["kind"]! == "apiKey" && Requests(p, (Guid)k["id"]!, "RequestExport") >= 1),
            TimeSpan.FromSeconds(20), Token);
        var person = People(people).Single(p => (Guid)p["id"]! == memberId);
        Assert.Equal(("user", email), ((string)person["kind"]!, (string)person["name"]!));
        Assert.Equal(1, Requests(people, memberId, "RequestExport"));
        var exported = Assert.Single(person["exported"]!.AsArray())!;
        Assert.Equal(("csv", 1, 2), ((string)exported["format"]!, (int)exported["exports"]!, (int)exported["issues"]!));

        var key = People(people).Single(p => (string)p["kind"]! == "apiKey");
        Assert.True(Requests(people, (Guid)key["id"]!, "RequestExport") >= 1);
        Assert.Equal(("json", 1), ((string)key["exported"]![0]!["format"]!, (int)key["exported"]![0]!["issues"]!));
        Assert.Equal(person["requests"]!.GetValue<long>(), person["endpoints"]!.AsArray().Sum(e => e!["requests"]!.GetValue<long>()));

        // Admins only, their own tenant only, and a window they can read.
        using var forbidden = await member.GetAsync("/api/v2/tenant/usage/people", Token);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var other = await system.CreateTenantAsync(Token);
        Assert.DoesNotContain(People(await PeopleAsync(other.Client)), p => (Guid)p["id"]! == memberId || (Guid)p["id"]! == (Guid)key["id"]!);
        using var tooLong = await tenant.Client.GetAsync("/api/v2/tenant/usage/people?days=91", Token);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("days", await tooLong.Content.ReadAsStringAsync(Token));
    }

    private static async Task<Guid> RequestAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v2/exports", body, Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (Guid)(await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!;
    }

    private static async Task<JsonObject> PeopleAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonObject>("/api/v2/tenant/usage/people", Token))!;

    private static IEnumerable<JsonNode> People(JsonObject usage) => usage["people"]!.AsArray().Select(p => p!);

    private static long Requests(JsonObject usage, Guid id, string endpoint) =>
        People(usage).Where(p => (Guid)p["id"]! == id).SelectMany(p => p["endpoints"]!.AsArray())
            .Where(e => (string)e!["endpoint"]! == endpoint).Sum(e => e!["requests"]!.GetValue<long>());
}
