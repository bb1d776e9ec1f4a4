using System.Net;
using System.Text;
using System.Text.Json;

namespace JiraExport.JiraSimulator.Tests;

/// <summary><c>GET /issue/{key}/worklog</c>, <c>POST /worklog/list</c>, and the <c>worklog</c>, <c>timetracking</c> and time fields.</summary>
public sealed class WorklogTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    /// <summary>Every 250th issue (id % 250 == 11) has 25–30 worklogs: more than the field's 20.</summary>
    private const string LongWorklogIssueId = "10011";

    [Fact]
    public async Task FieldEmbedsTwentyAndTheEndpointPagesTheRest()
    {
        using var client = simulator.CreateClient();
        var (_, issue) = await client.GetJsonAsync($"/rest/api/3/issue/{LongWorklogIssueId}?fields=worklog", TestContext.Current.CancellationToken);
        var field = issue.GetProperty("fields").GetProperty("worklog");
        var total = field.GetProperty("total").GetInt32();

        var paged = new List<JsonElement>();
        for (var startAt = 0; startAt < total; startAt += 10)
        {
            var (response, page) = await client.GetJsonAsync($"/rest/api/3/issue/{LongWorklogIssueId}/worklog?startAt={startAt}&maxResults=10", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(total, page.GetProperty("total").GetInt32());
            paged.AddRange(page.GetProperty("worklogs").EnumerateArray());
        }

        Assert.InRange(total, 21, 30);
        Assert.Equal(20, field.GetProperty("maxResults").GetInt32());
        Assert.Equal(20, field.GetProperty("worklogs").GetArrayLength());
        Assert.Equal(total, paged.Select(w => w.Id()).Distinct().Count());
        Assert.Equal(field.GetProperty("worklogs").EnumerateArray().Select(w => w.Id()), paged.Take(20).Select(w => w.Id()));
        var created = paged.Select(w => w.Created()).ToList();
        Assert.Equal(created.Order(), created);
        Assert.All(paged, w => Assert.Equal(issue.Id(), w.GetProperty("issueId").GetString()));
    }

    [Fact]
    public async Task TimeFieldsAddUpTheWorklogs()
    {
        using var client = simulator.CreateClient();
        var issues = await client.ReadIssuePagesAsync("/rest/api/2/search?jql=project%3DGAMMA&fields=*all", 1000, TestContext.Current.CancellationToken);

        foreach (var issue in issues.Where(i => i.GetProperty("fields").GetProperty("worklog").GetProperty("total").GetInt32() is > 0 and <= 20).Take(40))
        {
            var fields = issue.GetProperty("fields");
            var spent = fields.GetProperty("worklog").GetProperty("worklogs").EnumerateArray().Sum(w => w.GetProperty("timeSpentSeconds").GetInt32());
            var tracking = fields.GetProperty("timetracking");
            Assert.Equal(spent, fields.GetProperty("timespent").GetInt32());
            Assert.Equal(spent, tracking.GetProperty("timeSpentSeconds").GetInt32());
            Assert.Equal(fields.GetProperty("timeoriginalestimate").GetInt32(), tracking.GetProperty("originalEstimateSeconds").GetInt32());
            Assert.Equal(fields.GetProperty("timeestimate").GetInt32(), tracking.GetProperty("remainingEstimateSeconds").GetInt32());
            if (fields.GetProperty("status").GetProperty("name").GetString() == "Done")
            {
                Assert.Equal(0, fields.GetProperty("timeestimate").GetInt32());
            }
        }

        var untracked = issues.First(i => i.GetProperty("fields").GetProperty("timeoriginalestimate").ValueKind == JsonValueKind.Null);
        Assert.Equal("{}", untracked.GetProperty("fields").GetProperty("timetracking").GetRawText());
        Assert.Equal(JsonValueKind.Null, untracked.GetProperty("fields").GetProperty("timespent").ValueKind);
    }

    [Theory]
    [InlineData(60, "1h")]
    [InlineData(200, "3h 20m")]
    [InlineData(2400, "1w")]
    [InlineData(3015, "1w 1d 2h 15m")]
    public void DurationsUseEightHourDaysAndFiveDayWeeks(int minutes, string text)
    {
        Assert.Equal(text, Endpoints.JiraDuration.Format(minutes * 60));
    }

    [Fact]
    public async Task StartedAfterAndBeforeKeepWorklogsStartedInTheWindow()
    {
        using var client = simulator.CreateClient();
        var (_, all) = await client.GetJsonAsync($"/rest/api/3/issue/{LongWorklogIssueId}/worklog", TestContext.Current.CancellationToken);
        var started = all.GetProperty("worklogs").EnumerateArray().Select(w => JiraResponses.ParseJiraDate(w.GetProperty("started").GetString()!)).Order().ToList();
        var (from, to) = (started[5].ToUnixTimeMilliseconds(), started[15].ToUnixTimeMilliseconds());

        var (_, window) = await client.GetJsonAsync($"/rest/api/3/issue/{LongWorklogIssueId}/worklog?startedAfter={from}&startedBefore={to}", TestContext.Current.CancellationToken);

        Assert.Equal(10, window.GetProperty("total").GetInt32());
        Assert.All(window.GetProperty("worklogs").EnumerateArray(), w =>
            Assert.InRange(JiraResponses.ParseJiraDate(w.GetProperty("started").GetString()!).ToUnixTimeMilliseconds(), from, to - 1));
    }

    [Fact]
    public async Task WorklogListAnswersKnownIdsAsTheIssueListsThem()
    {
        using var client = simulator.CreateClient();
        var (_, all) = await client.GetJsonAsync($"/rest/api/3/issue/{LongWorklogIssueId}/worklog", TestContext.Current.CancellationToken);
        var wanted = all.GetProperty("worklogs").EnumerateArray().Take(3).ToList();

        var (response, listed) = await client.PostJsonAsync("/rest/api/3/worklog/list",
            new { ids = wanted.Select(w => long.Parse(w.Id(), System.Globalization.CultureInfo.InvariantCulture)).Append(99_999_999) }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(wanted.Select(w => w.GetRawText()), listed.EnumerateArray().Select(w => w.GetRawText()));
    }

    [Theory]
    [InlineData("{\"ids\":[]}")]
    [InlineData("{\"ids\":[1001100],\"expand\":\"properties\"}")]
    [InlineData("{\"ids\":\"1001100\"}")]
    public async Task WorklogListRefusesInvalidBodies(string json)
    {
        using var client = simulator.CreateClient();

        var response = await client.PostAsync("/rest/api/3/worklog/list", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
