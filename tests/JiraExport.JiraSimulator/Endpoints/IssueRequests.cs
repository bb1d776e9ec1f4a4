using System.Text.Json;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>What the per-issue endpoints share: finding the issue (a 404 as Jira words it) and reading a strict JSON body.</summary>
internal static class IssueRequests
{
    public static SeedIssue Find(IssueStore store, string issueIdOrKey) =>
        store.FindByKeyOrId(issueIdOrKey)
        ?? throw new JiraRequestException(StatusCodes.Status404NotFound, "Issue does not exist or you do not have permission to see it.");

    /// <summary>A JSON object body holding only <paramref name="allowed"/> properties (Jira's beans refuse others), else 400 or 415.</summary>
    public static async Task<JsonDocument> ReadBodyAsync(HttpRequest request, IReadOnlySet<string> allowed, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new JiraRequestException(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type: send the body as application/json.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw JiraRequestException.InvalidPayload();
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object || document.RootElement.EnumerateObject().Any(p => !allowed.Contains(p.Name)))
        {
            document.Dispose();
            throw JiraRequestException.InvalidPayload();
        }

        return document;
    }
}
