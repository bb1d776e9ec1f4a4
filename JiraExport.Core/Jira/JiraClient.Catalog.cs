using System.Globalization;
using System.Text.Json;
using JiraExport.Core.Domain;

namespace JiraExport.Core.Jira;

/// <summary>
/// The site's catalog (projects, issue types, statuses with categories, priorities, people) and the Agile API (boards,
/// sprints, sprint issues, epics). Offset-paged lists are read to their end; a list that does not end is an error.
/// </summary>
public sealed partial class JiraClient
{
    public Task<List<JiraProject>> GetProjectsAsync(JiraSite site, CancellationToken cancellationToken) =>
        site.Deployment == JiraDeployment.Cloud
            ? GetPagedAsync<JiraProject>(site, "/rest/api/3/project/search?orderBy=key", "values", 50, cancellationToken)
            // Data Center lists every project at once.
            : SendAsync<List<JiraProject>>(site, HttpMethod.Get, "/rest/api/2/project", body: null, cancellationToken);

    public Task<List<JiraIssueType>> GetIssueTypesAsync(JiraSite site, CancellationToken cancellationToken) =>
        SendAsync<List<JiraIssueType>>(site, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/issuetype", body: null, cancellationToken);

    public Task<List<JiraStatus>> GetStatusesAsync(JiraSite site, CancellationToken cancellationToken) =>
        SendAsync<List<JiraStatus>>(site, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/status", body: null, cancellationToken);

    public Task<List<JiraNamed>> GetPrioritiesAsync(JiraSite site, CancellationToken cancellationToken) =>
        SendAsync<List<JiraNamed>>(site, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/priority", body: null, cancellationToken);

    /// <summary>People of a Cloud site (<c>/users/search</c> pages a bare array).</summary>
    public async Task<List<JiraUser>> GetUsersAsync(JiraSite site, CancellationToken cancellationToken)
    {
        var users = new List<JiraUser>();
        for (var page = 0; ; page++)
        {
            var batch = await SendAsync<List<JiraUser>>(site, HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"/rest/api/{ApiVersion(site)}/users/search?startAt={users.Count}&maxResults=100"), body: null, cancellationToken);
            users.AddRange(batch);
            if (batch.Count == 0)
            {
                return users;
            }

            ThrowIfEndless(page, "users");
        }
    }

    public Task<List<JiraBoard>> GetBoardsAsync(JiraSite site, string? projectKey, CancellationToken cancellationToken) =>
        GetPagedAsync<JiraBoard>(site,
            projectKey is null ? "/rest/agile/1.0/board?" : $"/rest/agile/1.0/board?projectKeyOrId={Uri.EscapeDataString(projectKey)}", "values", 50, cancellationToken);

    /// <summary>A board's sprints: closed, then active, then future (Jira's order).</summary>
    public Task<List<JiraSprint>> GetSprintsAsync(JiraSite site, long boardId, CancellationToken cancellationToken) =>
        GetPagedAsync<JiraSprint>(site, string.Create(CultureInfo.InvariantCulture, $"/rest/agile/1.0/board/{boardId}/sprint?"), "values", 50, cancellationToken);

    public Task<List<JiraEpic>> GetEpicsAsync(JiraSite site, long boardId, CancellationToken cancellationToken) =>
        GetPagedAsync<JiraEpic>(site, string.Create(CultureInfo.InvariantCulture, $"/rest/agile/1.0/board/{boardId}/epic?"), "values", 50, cancellationToken);

    /// <summary>The keys of a sprint's issues, in rank order (the Agile API pages them like the legacy search).</summary>
    public async Task<List<string>> GetSprintIssueKeysAsync(JiraSite site, long sprintId, CancellationToken cancellationToken)
    {
        var issues = await GetPagedAsync<JiraIssueDocument>(site,
            string.Create(CultureInfo.InvariantCulture, $"/rest/agile/1.0/sprint/{sprintId}/issue?fields=key"), "issues", 100, cancellationToken);
        return issues.Select(i => i.Key).ToList();
    }

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
