namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Where a response is rendered for: the site's base URL (for <c>self</c> links) and the REST version (2 or 3).</summary>
internal sealed record ApiContext(string BaseUrl, int Version)
{
    public string Api => $"{BaseUrl}/rest/api/{Version}";

    /// <summary>The Agile API's root, the same on Cloud and Data Center.</summary>
    public string Agile => $"{BaseUrl}/rest/agile/1.0";

    public static ApiContext From(HttpRequest request, int version) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}", version);
}
