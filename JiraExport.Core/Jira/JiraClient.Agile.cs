using System.Net;

namespace JiraExport.Core.Jira;

/// <summary>Jira Software's agile API: a sprint as it is now (its webhooks name it; what they carry is not trusted).</summary>
public sealed partial class JiraClient
{
    /// <summary>The sprint, or null when Jira no longer has it (404).</summary>
    public Task<JiraSprint?> GetSprintAsync(JiraSite site, long sprintId, CancellationToken cancellationToken) =>
        FindAsync<JiraSprint>(site, $"/rest/agile/1.0/sprint/{sprintId}", cancellationToken);

    /// <summary>What Jira has at <paramref name="path"/>, or null once it answers 404: what a webhook named is gone.</summary>
    private async Task<T?> FindAsync<T>(JiraSite site, string path, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await SendAsync<T>(site, HttpMethod.Get, path, body: null, cancellationToken);
        }
        catch (JiraException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

public sealed record JiraSprint(
    long Id, string? Name, string? State, string? Goal, DateTimeOffset? StartDate, DateTimeOffset? EndDate, DateTimeOffset? CompleteDate, long? OriginBoardId);
