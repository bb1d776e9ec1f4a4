using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;

namespace JiraExport.Api.Apis;

/// <summary>Checks a new connection and turns it into domain values; every error says how to fix it.</summary>
internal static class ConnectionValidation
{
    public static string DeploymentName(JiraDeployment deployment) => deployment == JiraDeployment.Cloud ? "cloud" : "datacenter";

    public static Dictionary<string, string[]> Validate(
        CreateConnectionRequest request, out Uri? baseUrl, out JiraDeployment deployment, out JiraCredentials? credentials)
    {
        var errors = new Dictionary<string, string[]>();
        baseUrl = null;
        credentials = null;
        deployment = JiraDeployment.Cloud;

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (!Uri.TryCreate(request.BaseUrl, UriKind.Absolute, out baseUrl)
            || baseUrl.Scheme is not ("http" or "https") || request.BaseUrl!.Length > 2048
            || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            errors["baseUrl"] = ["An absolute http(s) URL of the Jira site is required, e.g. https://acme.atlassian.net."];
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

        return errors;
    }
}
