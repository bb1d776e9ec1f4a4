using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Renders the catalog's objects in the shapes Jira's REST API uses for them.</summary>
internal static class EntityRenderer
{
    public static JsonObject User(SeedUser user, ApiContext api)
    {
        var json = new JsonObject
        {
            ["self"] = $"{api.Api}/user?accountId={user.AccountId}",
            ["accountId"] = user.AccountId,
        };

        // v2 is what Data Center speaks, and DC identifies people by name and key, not accountId.
        if (api.Version == 2)
        {
            json["name"] = user.Name;
            json["key"] = user.UserKey;
        }

        json["emailAddress"] = user.EmailAddress;
        json["avatarUrls"] = AvatarUrls($"{api.BaseUrl}/secure/useravatar?ownerId={user.UserKey}");
        json["displayName"] = user.DisplayName;
        json["active"] = user.Active;
        json["timeZone"] = user.TimeZone;
        json["accountType"] = "atlassian";
        return json;
    }

    public static JsonObject Status(SeedStatus status, ApiContext api) => new()
    {
        ["self"] = $"{api.Api}/status/{status.Id}",
        ["description"] = status.Description,
        ["iconUrl"] = $"{api.BaseUrl}/images/icons/statuses/generic.png",
        ["name"] = status.Name,
        ["id"] = status.Id,
        ["statusCategory"] = StatusCategory(status.Category, api),
    };

    public static JsonObject StatusCategory(SeedStatusCategory category, ApiContext api) => new()
    {
        ["self"] = $"{api.Api}/statuscategory/{category.Id}",
        ["id"] = category.Id,
        ["key"] = category.Key,
        ["colorName"] = category.ColorName,
        ["name"] = category.Name,
    };

    public static JsonObject Priority(SeedPriority priority, ApiContext api) => new()
    {
        ["self"] = $"{api.Api}/priority/{priority.Id}",
        ["iconUrl"] = $"{api.BaseUrl}/images/icons/priorities/{priority.Name.ToLowerInvariant()}.svg",
        ["name"] = priority.Name,
        ["id"] = priority.Id,
    };

    /// <summary>The one resolution the seed's workflow sets, "Done" (Jira's default for the Done status).</summary>
    public static JsonObject Resolution(ApiContext api) => new()
    {
        ["self"] = $"{api.Api}/resolution/10000",
        ["id"] = "10000",
        ["description"] = "Work has been completed on this issue.",
        ["name"] = "Done",
    };

    public static JsonObject IssueType(SeedIssueType type, ApiContext api) => new()
    {
        ["self"] = $"{api.Api}/issuetype/{type.Id}",
        ["id"] = type.Id,
        ["description"] = type.Description,
        ["iconUrl"] = $"{api.BaseUrl}/secure/viewavatar?size=xsmall&avatarId={type.Id}&avatarType=issuetype",
        ["name"] = type.Name,
        ["subtask"] = false,
        ["hierarchyLevel"] = 0,
    };

    /// <summary>A version as issues carry it in <c>fixVersions</c> and as <c>GET /version/{id}</c> answers it.</summary>
    public static JsonObject Version(SeedVersion version, ApiContext api)
    {
        var json = new JsonObject
        {
            ["self"] = $"{api.Api}/version/{version.Id}",
            ["id"] = version.Id,
            ["description"] = "",
            ["name"] = version.Name,
            ["archived"] = false,
            ["released"] = version.Released,
        };
        if (version.ReleaseDate is { } date)
        {
            json["releaseDate"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        return json;
    }

    public static JsonObject Project(SeedProject project, ApiContext api) => new()
    {
        ["self"] = $"{api.Api}/project/{project.Id}",
        ["id"] = project.Id,
        ["key"] = project.Key,
        ["name"] = project.Name,
        ["projectTypeKey"] = "software",
        ["simplified"] = false,
        ["avatarUrls"] = AvatarUrls($"{api.BaseUrl}/secure/projectavatar?pid={project.Id}"),
    };

    private static JsonObject AvatarUrls(string baseUrl) => new()
    {
        ["48x48"] = $"{baseUrl}&size=large",
        ["24x24"] = $"{baseUrl}&size=small",
        ["16x16"] = $"{baseUrl}&size=xsmall",
        ["32x32"] = $"{baseUrl}&size=medium",
    };
}
