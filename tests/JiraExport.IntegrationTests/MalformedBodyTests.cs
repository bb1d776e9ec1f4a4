using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using JiraExport.IntegrationTests.Infrastructure;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// Walks every route of the running Api that reads a JSON body (taken from the endpoint data source, as the policy test
/// does) with bodies a careless or hostile caller sends. Each must be answered with a problem, never a 5xx.
/// </summary>
public abstract class MalformedBodyTests(JiraExportSystem system)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BodiesThatAreNotJsonAreABadRequestProblemOnEveryRoute() =>
        await AssertNoServerErrorsAsync(_ => ["{\"x\": ", "{\"a\":1,}", "<xml/>", "\u00ff\u00fe", "{\"a\": tru}"],
            expected: HttpStatusCode.BadRequest, expectedDetail: "not well-formed JSON");

    [Fact]
    public async Task BodiesOfTheWrongShapeAreAProblemOnEveryRoute() =>
        await AssertNoServerErrorsAsync(_ => ["null", "[]", "\"text\"", "42", "true", "{}", "[{}]"]);

    [Fact]
    public async Task FieldsOfTheWrongTypeAreAProblemOnEveryRoute() =>
        await AssertNoServerErrorsAsync(type => RequestBodies.EachField(type, RequestBodies.WrongType));

    [Fact]
    public async Task NullFieldsAreAProblemOnEveryRoute() =>
        await AssertNoServerErrorsAsync(type => [.. RequestBodies.EachField(type, _ => ["null"]), RequestBodies.AllFields(type, _ => "null")]);

    [Fact]
    public async Task UnknownValuesOverLongStringsAndOutOfRangeNumbersAreAProblemOnEveryRoute() =>
        await AssertNoServerErrorsAsync(type => RequestBodies.EachField(type, RequestBodies.OutOfRange));

    /// <param name="expected">When given, the one status every request must get: the positive control that the bodies reached binding.</param>
    /// <param name="expectedDetail">When given, what every answer's problem must say, so a person knows what to fix.</param>
    private async Task AssertNoServerErrorsAsync(
        Func<Type, IEnumerable<string>> bodiesFor, HttpStatusCode? expected = null, string? expectedDetail = null)
    {
        var routes = await RouteFixture.CreateAsync(system, Token);
        var failures = new List<string>();
        var tried = 0;
        foreach (var route in ApiEndpoints.WithJsonBodies())
        {
            foreach (var body in bodiesFor(route.BodyType).Distinct())
            {
                tried++;
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), routes.Path(route.Pattern))
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                using var response = await routes.ClientFor(route).SendAsync(request, Token);
                var content = await response.Content.ReadAsStringAsync(Token);
                var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                if ((int)response.StatusCode >= 500 || (!response.IsSuccessStatusCode && !isProblem)
                    || (expected is not null && response.StatusCode != expected)
                    || (expectedDetail is not null && !content.Contains(expectedDetail, StringComparison.Ordinal)))
                {
                    failures.Add($"{route.Method} {route.Pattern} with {Shorten(body)} → {(int)response.StatusCode} {Shorten(content)}");
                }
            }
        }

        Assert.True(tried > 50, $"Only {tried} requests were tried: the route walk found too few routes.");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {tried} bad bodies were not answered with a 4xx problem:\n{string.Join('\n', failures.Take(40))}\n\nApi output:\n{system.Api.RecentOutput}");
    }

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;

    /// <summary>The credentials and real ids the walk sends, so routes with ids reach their validation, not only a 404.</summary>
    private sealed class RouteFixture
    {
        private readonly Dictionary<string, string> _ids = [];
        private TestTenant _tenant = null!;
        private HttpClient _userClient = null!;
        private HttpClient _apiKeyClient = null!;

        public static async Task<RouteFixture> CreateAsync(JiraExportSystem system, CancellationToken cancellationToken)
        {
            var fixture = new RouteFixture { _tenant = await system.CreateTenantAsync(cancellationToken) };
            using (var admin = system.CreateApiClient())
            {
                admin.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
                using var plan = await admin.PutAsJsonAsync($"/api/v1/tenants/{fixture._tenant.TenantId}/plan",
                    new { name = "walk", maxConnections = 1000, maxExportsPerDay = 100_000, maxStoredMegabytes = 100_000, maxApiRequestsPerMinute = 1_000_000 },
                    cancellationToken);
                Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
            }

            fixture._apiKeyClient = system.CreateApiClient(fixture._tenant.ApiKey);
            fixture._apiKeyClient.DefaultRequestHeaders.Add("X-Admin-Key", JiraExportSystem.AdminKey);
            var account = await system.SignUpAsync(cancellationToken);
            fixture._userClient = system.CreateUserClient((await system.SignInAsync(account, cancellationToken)).AccessToken);

            using var template = await fixture._apiKeyClient.PostAsJsonAsync("/api/v1/templates", new { name = "walk", copyFrom = "issue-list" }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, template.StatusCode);
            fixture._ids["templates"] = (await template.Content.ReadFromJsonAsync<Identified>(cancellationToken))!.Id.ToString();
            fixture._ids["connections"] = fixture._tenant.ConnectionId.ToString();
            fixture._ids["exports"] = (await fixture._tenant.RequestExportAsync("key = ALPHA-1", cancellationToken)).ToString();
            fixture._ids["tenants"] = fixture._tenant.TenantId.ToString();
            fixture._ids["users"] = account.UserId.ToString();
            return fixture;
        }

        /// <summary>Routes for a signed-in person take the access token; every other route the tenant's first key (every scope).</summary>
        public HttpClient ClientFor(ApiEndpoint route) => route.NeedsUserSession ? _userClient : _apiKeyClient;

        public string Path(string pattern)
        {
            var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < segments.Length; i++)
            {
                if (segments[i] == "v{version:apiVersion}")
                {
                    segments[i] = "v1";
                    continue;
                }

                if (!segments[i].StartsWith('{'))
                {
                    continue;
                }

                var name = segments[i].Trim('{', '}').Split(':')[0];
                segments[i] = name switch
                {
                    "tenant" => "walk-tenant",
                    "key" => "ALPHA-1",
                    "n" or "number" => "1",
                    _ => i > 0 && _ids.TryGetValue(segments[i - 1], out var id) ? id : Guid.NewGuid().ToString(),
                };
            }

            return "/" + string.Join('/', segments);
        }
    }

    private sealed record Identified(Guid Id);
}

/// <summary>Bad JSON bodies derived from a request record's properties (camelCase, as the Api reads them).</summary>
internal static class RequestBodies
{
    private const int MaxDepth = 2;

    public static IEnumerable<string> EachField(Type type, Func<Type, IEnumerable<string>> badValues) => EachField(type, badValues, 0);

    public static string AllFields(Type type, Func<Type, string> value) =>
        "{" + string.Join(',', Properties(type).Select(p => $"\"{JsonName(p.Name)}\":{value(p.PropertyType)}")) + "}";

    public static IEnumerable<string> WrongType(Type type) => Kind(type) switch
    {
        FieldKind.Text => ["12345", "{}", "[\"a\"]", "true"],
        FieldKind.Number or FieldKind.Boolean or FieldKind.Identifier or FieldKind.Moment => ["\"not-a-value\"", "{}", "[1]"],
        FieldKind.List => ["\"text\"", "{}", "[{\"a\":[1]}]", "[[1]]"],
        FieldKind.Map => ["\"text\"", "[1]", "{\"a\":{\"b\":[1]}}"],
        _ => ["\"text\"", "[1]", "12345"],
    };

    public static IEnumerable<string> OutOfRange(Type type) => Kind(type) switch
    {
        FieldKind.Text => ["\"no-such-value-\\u0000-%%\"", $"\"{new string('x', 100_000)}\"", "\"\"", "\"   \"", "\"\\ud800\""],
        FieldKind.Number => ["-1", "0", "2147483647", "-2147483648", "9223372036854775807", "1e308", "0.5"],
        FieldKind.Identifier => ["\"00000000-0000-0000-0000-000000000000\""],
        FieldKind.Moment => ["\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\""],
        FieldKind.List => ["[" + string.Join(',', Enumerable.Repeat("\"xxxxxxxxxx\"", 5_000)) + "]", "[\"\"]", "[null]"],
        FieldKind.Map => ["{" + string.Join(',', Enumerable.Range(0, 2_000).Select(i => $"\"k{i}\":\"v\"")) + "}"],
        _ => [],
    };

    private static IEnumerable<string> EachField(Type type, Func<Type, IEnumerable<string>> badValues, int depth)
    {
        foreach (var property in Properties(type))
        {
            var name = JsonName(property.Name);
            foreach (var value in badValues(property.PropertyType))
            {
                yield return $"{{\"{name}\":{value}}}";
            }

            if (Kind(property.PropertyType) == FieldKind.Object && depth < MaxDepth)
            {
                foreach (var nested in EachField(property.PropertyType, badValues, depth + 1))
                {
                    yield return $"{{\"{name}\":{nested}}}";
                }
            }
        }
    }

    private static System.Reflection.PropertyInfo[] Properties(Type type) =>
        Kind(type) == FieldKind.Object ? type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray() : [];

    private static string JsonName(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    private static FieldKind Kind(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return FieldKind.Text;
        }

        if (type == typeof(bool))
        {
            return FieldKind.Boolean;
        }

        if (type == typeof(Guid))
        {
            return FieldKind.Identifier;
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeSpan))
        {
            return FieldKind.Moment;
        }

        if (type.IsPrimitive || type == typeof(decimal) || type.IsEnum)
        {
            return FieldKind.Number;
        }

        if (type.IsAssignableTo(typeof(System.Collections.IDictionary))
            || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        {
            return FieldKind.Map;
        }

        if (type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
        {
            return FieldKind.List;
        }

        return type == typeof(System.Text.Json.JsonElement) ? FieldKind.Any : FieldKind.Object;
    }

    private enum FieldKind
    {
        Text,
        Number,
        Boolean,
        Identifier,
        Moment,
        List,
        Map,
        Object,
        Any,
    }
}

/// <summary>The behaviour above, on API v1.</summary>
public sealed class MalformedBodyTestsOnV1(JiraExportSystem system) : MalformedBodyTests(system), IClassFixture<JiraExportSystem>;

/// <summary>The same behaviour on API v2.</summary>
public sealed class MalformedBodyTestsOnV2(JiraExportSystemOnV2 system) : MalformedBodyTests(system), IClassFixture<JiraExportSystemOnV2>;
