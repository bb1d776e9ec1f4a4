using System.Text.Json;
using JiraExport.Core.Jira;

namespace JiraExport.Core.Tests.Jira;

public sealed class JiraCredentialsTests
{
    [Fact]
    public void BasicCredentialsBecomeBase64OfEmailColonToken()
    {
        var header = new BasicJiraCredentials("jira-bot@example.com", "ATATT3xFfGF0-token").ToAuthorizationHeader();

        Assert.Equal("Basic", header.Scheme);
        Assert.Equal("amlyYS1ib3RAZXhhbXBsZS5jb206QVRBVFQzeEZmR0YwLXRva2Vu", header.Parameter);
        Assert.Equal("Basic amlyYS1ib3RAZXhhbXBsZS5jb206QVRBVFQzeEZmR0YwLXRva2Vu", header.ToString());
    }

    [Fact]
    public void BasicCredentialsEncodeNonAsciiAsUtf8()
    {
        var header = new BasicJiraCredentials("сергей@пример.рф", "пароль").ToAuthorizationHeader();

        Assert.Equal("0YHQtdGA0LPQtdC5QNC/0YDQuNC80LXRgC7RgNGEOtC/0LDRgNC+0LvRjA==", header.Parameter);
    }

    [Fact]
    public void BearerCredentialsSendTheTokenUnchanged()
    {
        var header = new BearerJiraCredentials("NjM4OTk2MzQ1Njc4OkPAT+token/=").ToAuthorizationHeader();

        Assert.Equal("Bearer", header.Scheme);
        Assert.Equal("NjM4OTk2MzQ1Njc4OkPAT+token/=", header.Parameter);
    }

    [Fact]
    public void BasicCredentialsSerializeWithTypeDiscriminatorFirst()
    {
        JiraCredentials credentials = new BasicJiraCredentials("jira-bot@example.com", "secret");

        var json = JsonSerializer.Serialize(credentials, JsonSerializerOptions.Web);

        Assert.Equal("""{"type":"basic","email":"jira-bot@example.com","apiToken":"secret"}""", json);
    }

    [Fact]
    public void BearerCredentialsSerializeWithTypeDiscriminatorFirst()
    {
        JiraCredentials credentials = new BearerJiraCredentials("pat-123");

        var json = JsonSerializer.Serialize(credentials, JsonSerializerOptions.Web);

        Assert.Equal("""{"type":"bearer","token":"pat-123"}""", json);
    }

    [Fact]
    public void CredentialsRoundTripPolymorphically()
    {
        JiraCredentials[] originals =
        [
            new BasicJiraCredentials("Сергей@example.com", "tök€n \"quoted\""),
            new BearerJiraCredentials("pat-123"),
        ];

        foreach (var original in originals)
        {
            var json = JsonSerializer.Serialize(original, JsonSerializerOptions.Web);
            var copy = JsonSerializer.Deserialize<JiraCredentials>(json, JsonSerializerOptions.Web);

            Assert.Equal(original, copy);
            Assert.IsType(original.GetType(), copy);
        }
    }

    [Fact]
    public void BasicCredentialsAreReadFromStoredJson()
    {
        var credentials = JsonSerializer.Deserialize<JiraCredentials>(
            """{"type":"basic","email":"jira-bot@example.com","apiToken":"secret"}""", JsonSerializerOptions.Web);

        Assert.Equal(new BasicJiraCredentials("jira-bot@example.com", "secret"), credentials);
    }

    [Fact]
    public void UnknownCredentialTypeIsRejected()
    {
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<JiraCredentials>("""{"type":"kerberos","token":"x"}""", JsonSerializerOptions.Web));
    }

    [Fact]
    public void AnOAuthGrantRoundTripsWithItsRotatingRefreshTokenAndSendsTheAccessTokenAsBearer()
    {
        JiraCredentials grant = new OAuthJiraCredentials(
            "access-1", new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), "refresh-1", "cloud-id", "https://acme.atlassian.net", "read:jira-work offline_access");

        var json = JsonSerializer.Serialize(grant, JsonSerializerOptions.Web);
        var read = JsonSerializer.Deserialize<JiraCredentials>(json, JsonSerializerOptions.Web);

        Assert.Contains("\"type\":\"oauth\"", json);
        Assert.Equal(grant, read);
        Assert.Equal(("Bearer", "access-1"), (read!.ToAuthorizationHeader().Scheme, read.ToAuthorizationHeader().Parameter));
    }
}
