using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Domain;

namespace JiraExport.Core.Jira;

/// <summary>
/// The projects the credentials can see: what a sync without a scope covers (Jira Cloud refuses unbounded JQL). The list is
/// offset-paged on Cloud and read to its end; a list that does not end is an error.
/// </summary>
public sealed partial class JiraClient
{
    public Task<List<JiraProject>> GetProjectsAsync(JiraSite site, CancellationToken cancellationToken) =>
        site.Deployment == JiraDeployment.Cloud
            ? GetPagedAsync<JiraProject>(site, "/rest/api/3/project/search?orderBy=key", "values", 50, cancellationToken)
            // Data Center lists every project at once.
            : SendAsync<List<JiraProject>>(site, HttpMethod.Get, "/rest/api/2/project", body: null, cancellationToken);

    /// <summary>One project as Jira has it now (its key may have changed); null once Jira answers 404 (deleted, trashed, archived).</summary>
    public Task<JiraProject?> GetProjectAsync(JiraSite site, long projectId, CancellationToken cancellationToken) =>
        FindAsync<JiraProject>(site, string.Create(CultureInfo.InvariantCulture, $"/rest/api/{ApiVersion(site)}/project/{projectId}"), cancellationToken);

    /// <summary>A version as Jira has it now; null once Jira answers 404 (deleted, or merged into another).</summary>
    public Task<JiraVersion?> GetVersionAsync(JiraSite site, long versionId, CancellationToken cancellationToken) =>
        FindAsync<JiraVersion>(site, string.Create(CultureInfo.InvariantCulture, $"/rest/api/{ApiVersion(site)}/version/{versionId}"), cancellationToken);

    /// <summary>
    /// Reads an offset-paged list to its end, whichever way the page says it ended: <c>isLast</c> (PageBean), <c>total</c>
    /// (legacy search), or an empty page. Advances by what came back, as the server may lower <c>maxResults</c>.
    /// </summary>
    private async Task<List<T>> GetPagedAsync<T>(JiraSite site, string path, string itemsProperty, int pageSize, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var separator = path.EndsWith('?') ? string.Empty : "&";
        for (var page = 0; ; page++)
        {
            var result = await SendAsync<JsonElement>(site, HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"{path}{separator}startAt={items.Count}&maxResults={pageSize}"), body: null, cancellationToken);
            var values = result.TryGetProperty(itemsProperty, out var array) && array.ValueKind == JsonValueKind.Array
                ? array.Deserialize<List<T>>(Json) ?? []
                : [];
            items.AddRange(values);
            var isLast = result.TryGetProperty("isLast", out var last) && last.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? last.GetBoolean()
                : !result.TryGetProperty("total", out var total) || total.ValueKind != JsonValueKind.Number || items.Count >= total.GetInt32();
            if (isLast || values.Count == 0)
            {
                return items;
            }

            ThrowIfEndless(page, itemsProperty);
        }
    }

    private void ThrowIfEndless(int page, string what)
    {
        if (page >= options.Value.MaxPages)
        {
            throw new JiraException(JiraFailureKind.Protocol, $"Jira's {what} did not end after {page + 1} pages; the list would be incomplete.");
        }
    }
}

public sealed record JiraProject(string Id, string Key, string Name, string? ProjectTypeKey);

/// <summary>A project's version as issues carry it in <c>fixVersions</c> and <c>versions</c>.</summary>
public sealed record JiraVersion(string Id, string? Name, bool Released, bool Archived, string? ReleaseDate);
