using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;

namespace JiraExport.Api.Apis;

/// <summary>A new connection's site as the store keeps it: the address without a trailing slash, the credentials to protect.</summary>
internal sealed record ConnectionSite(string BaseUrl, JiraDeployment Deployment, JiraCredentials Credentials, List<string> FailoverBaseUrls);

/// <summary>Checks a new connection and turns it into domain values; every error says how to fix it.</summary>
internal static class ConnectionValidation
{
    public static string DeploymentName(JiraDeployment deployment) => deployment == JiraDeployment.Cloud ? "cloud" : "datacenter";

    public const int MaxFailoverNodes = 5;

    /// <summary>The structural rules of <see cref="CreateConnectionRequest"/>, run before the handler.</summary>
    public static Dictionary<string, string[]> Validate(CreateConnectionRequest request) => Read(request, out _);

    /// <summary>The site a valid request names, in the form the store keeps.</summary>
    public static ConnectionSite ReadSite(CreateConnectionRequest request) =>
        Read(request, out var site) is { Count: 0 } ? site! : throw new InvalidOperationException("The connection request was not validated.");

    private static Dictionary<string, string[]> Read(CreateConnectionRequest request, out ConnectionSite? site)
    {
        var errors = new Dictionary<string, string[]>();
        Uri? baseUrl;
        List<string> failoverBaseUrls = [];
        JiraCredentials? credentials = null;
        var deployment = JiraDeployment.Cloud;

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (!TryReadSiteUrl(request.BaseUrl, out baseUrl))
        {
            errors["baseUrl"] = ["An absolute http(s) URL of the Jira site is required, e.g. https://acme.atlassian.net."];
        }

        foreach (var text in request.FailoverBaseUrls ?? [])
        {
            if (!TryReadSiteUrl(text, out var node))
            {
                errors["failoverBaseUrls"] = [$"'{text}' is not an absolute http(s) URL of a Jira node."];
                break;
            }

            failoverBaseUrls.Add(node!.ToString().TrimEnd('/'));
        }

        if (failoverBaseUrls.Count > MaxFailoverNodes)
        {
            errors["failoverBaseUrls"] = [$"At most {MaxFailoverNodes} failover nodes."];
        }
        else if (baseUrl is not null && failoverBaseUrls.Append(baseUrl.ToString().TrimEnd('/')).Distinct(StringComparer.OrdinalIgnoreCase).Count() != failoverBaseUrls.Count + 1)
        {
            errors["failoverBaseUrls"] = ["Each node may be named once, and not again as a failover of itself."];
        }

        if (request.Limits is { MaxConcurrentRequests: < 1 or > 64 })
        {
            errors["limits.maxConcurrentRequests"] = ["Between 1 and 64 requests in flight."];
        }

        if (request.Limits is { RequestsPerSecond: < 1 or > 1000 })
        {
            errors["limits.requestsPerSecond"] = ["Between 1 and 1,000 requests a second."];
        }

        switch (request.Deployment?.ToLowerInvariant())
        {
            case "cloud":
                deployment = JiraDeployment.Cloud;
                break;
            case "datacenter":
                deployment = JiraDeployment.DataCenter;
                break;
            default:
                errors["deployment"] = ["Deployment must be \"cloud\" or \"datacenter\"."];
                break;
        }

        switch (request.Auth?.Type?.ToLowerInvariant())
        {
            case "basic" when !string.IsNullOrWhiteSpace(request.Auth.Email) && !string.IsNullOrWhiteSpace(request.Auth.ApiToken):
                credentials = new BasicJiraCredentials(request.Auth.Email.Trim(), request.Auth.ApiToken);
                break;
            case "basic":
                errors["auth"] = ["Basic auth needs \"email\" and \"apiToken\"."];
                break;
            case "bearer" when !string.IsNullOrWhiteSpace(request.Auth.Token):
                credentials = new BearerJiraCredentials(request.Auth.Token);
                break;
            case "bearer":
                errors["auth"] = ["Bearer auth needs \"token\" (a personal access token)."];
                break;
            default:
                errors["auth"] = ["Auth is required: {\"type\":\"basic\",\"email\",\"apiToken\"} or {\"type\":\"bearer\",\"token\"}."];
                break;
        }

        site = errors.Count == 0 ? new ConnectionSite(baseUrl!.ToString().TrimEnd('/'), deployment, credentials!, failoverBaseUrls) : null;
        return errors;
    }

    private static bool TryReadSiteUrl(string? text, out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url)
        && url.Scheme is "http" or "https" && text!.Length <= 2048
        && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment);
}
