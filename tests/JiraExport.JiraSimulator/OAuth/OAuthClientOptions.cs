namespace JiraExport.JiraSimulator.OAuth;

/// <summary>
/// An OAuth 2.0 (3LO) app registered with the simulated authorization server, as one is in Atlassian's developer console.
/// The simulator always knows the test app (<see cref="TestClientId"/>, <see cref="TestClientSecret"/>, <see cref="TestRedirectUri"/>).
/// </summary>
public sealed class OAuthClientOptions
{
    public const string TestClientId = "sim-oauth-client";
    public const string TestClientSecret = "sim-oauth-client-secret";

    /// <summary>The simulator never follows the redirect, so the test app's callback need not exist; a client under test registers its own.</summary>
    public const string TestRedirectUri = "http://localhost/oauth/jira/callback";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Callback URLs a <c>redirect_uri</c> must equal exactly (no prefix or wildcard matching, as on Atlassian).</summary>
    public List<string> RedirectUris { get; set; } = [];

    public static OAuthClientOptions CreateTestClient() => new()
    {
        ClientId = TestClientId,
        ClientSecret = TestClientSecret,
        RedirectUris = [TestRedirectUri],
    };

    /// <summary>The registration of <paramref name="clientId"/>; the last one wins, so configuration can replace the test app.</summary>
    public static OAuthClientOptions? Find(IEnumerable<OAuthClientOptions> clients, string? clientId) =>
        string.IsNullOrEmpty(clientId) ? null : clients.LastOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));
}
