using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.JiraSimulator.Tests;

/// <summary>One simulator per test class, hosted on a real Kestrel port, reached through a plain HttpClient.</summary>
public class SimulatorFixture : IAsyncLifetime
{
    public const string Email = "tester@example.com";
    public const string ApiToken = "test-api-token";
    public const string Pat = "test-pat";

    private readonly Action<JiraSimulatorOptions> _configure;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication? _app;

    public SimulatorFixture()
        : this(_ => { })
    {
    }

    /// <summary>For fixtures of a differently configured site, e.g. a larger one, or one with its own clock.</summary>
    protected SimulatorFixture(Action<JiraSimulatorOptions> configure, Action<IServiceCollection>? services = null)
    {
        _configure = configure;
        _services = services;
    }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public WebApplication App => _app ?? throw new InvalidOperationException("The simulator has not started.");

    public async ValueTask InitializeAsync()
    {
        _app = JiraSimulatorApp.Build(["--Logging:LogLevel:Default=Warning"], o =>
        {
            o.BasicEmail = Email;
            o.BasicApiToken = ApiToken;
            o.BearerToken = Pat;
            _configure(o);
        }, _services);
        _app.Urls.Add("http://127.0.0.1:0");
        await _app.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = _app.GetBaseAddress();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(TestContext.Current.CancellationToken);
            await _app.DisposeAsync();
        }
    }

    /// <summary>A client authenticated with Basic email:token unless <paramref name="authorization"/> says otherwise.</summary>
    public HttpClient CreateClient(AuthenticationHeaderValue? authorization = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = authorization ?? Basic(Email, ApiToken);
        return client;
    }

    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress };

    public static AuthenticationHeaderValue Basic(string email, string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{token}")));
}

internal static class HttpTestExtensions
{
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostJsonAsync(
        this HttpClient client, string path, object body, CancellationToken cancellationToken)
    {
        var response = await client.PostAsJsonAsync(path, body, cancellationToken);
        return (response, await response.ReadJsonAsync(cancellationToken));
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> GetJsonAsync(
        this HttpClient client, string path, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(path, cancellationToken);
        return (response, await response.ReadJsonAsync(cancellationToken));
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string[] ErrorMessages(this JsonElement body) =>
        body.GetProperty("errorMessages").EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string Key(this JsonElement issue) => issue.GetProperty("key").GetString()!;
}
