using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Renders one issue: the envelope plus only the requested fields, and what <c>expand</c> asked for.</summary>
internal static class IssueRenderer
{
    private const string IssueExpand = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

    /// <param name="store">Looks up linked issues, so a link shows the other issue as it is now.</param>
    public static JsonObject Render(SeedIssue issue, FieldSelection selection, ApiContext api, IssueStore store, IssueRenderOptions options)
    {
        // Cloud's enhanced search answers a default (id-only) request with nothing but the id.
        if (options.BareIdWhenIdOnly && selection.IsIdOnly)
        {
            return new JsonObject { ["id"] = issue.Id };
        }

        // Jira leaves parent out, rather than null, when there is none.
        var names = FieldSelection.Supported.Concat(FieldSelection.AgileFields)
            .Where(n => selection.Fields.Contains(n) && (n != "parent" || issue.Epic is not null))
            .ToList();
        var fields = new JsonObject();
        foreach (var name in names)
        {
            fields[name] = RenderField(issue, name, api, store);
        }

        var json = new JsonObject
        {
            ["expand"] = IssueExpand,
            ["id"] = issue.Id,
            ["self"] = options.Agile ? $"{api.Agile}/issue/{issue.Id}" : $"{api.Api}/issue/{issue.Id}",
            ["key"] = issue.Key,
        };
        if (options.RenderedFields)
        {
            json["renderedFields"] = RenderedFieldsRenderer.Render(issue, names, api);
        }

        if (options.ChangelogLimit is { } limit)
        {
            // Newest first here, unlike the changelog endpoints.
            var histories = issue.Histories.Reverse().Take(limit).ToList();
            json["changelog"] = new JsonObject
            {
                ["startAt"] = 0,
                ["maxResults"] = histories.Count,
                ["total"] = issue.Histories.Count,
                ["histories"] = new JsonArray(histories.Select(h => (JsonNode?)ChangelogRenderer.History(h, api)).ToArray()),
            };
        }

        json["fields"] = fields;
        return json;
    }

    private static JsonNode? RenderField(SeedIssue issue, string name, ApiContext api, IssueStore store) => name switch
    {
        "summary" => issue.Summary,
        "status" => EntityRenderer.Status(issue.Status, api),
        "priority" => EntityRenderer.Priority(issue.Priority, api),
        "assignee" => issue.Assignee is null ? null : EntityRenderer.User(issue.Assignee, api),
        "reporter" => EntityRenderer.User(issue.Reporter, api),
        "created" => JiraDates.Format(issue.Created),
        "updated" => JiraDates.Format(issue.Updated),
        "resolution" => issue.Resolved is null ? null : EntityRenderer.Resolution(api),
        "resolutiondate" => issue.Resolved is { } resolved ? JiraDates.Format(resolved) : null,
        "issuetype" => EntityRenderer.IssueType(issue.IssueType, api),
        "project" => EntityRenderer.Project(issue.Project, api),
        "description" => RichText.Body(issue.DescriptionParagraphs, api),
        "labels" => new JsonArray(issue.Labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        "fixVersions" => new JsonArray([.. issue.FixVersionIds.Select(store.Version).OfType<SeedVersion>().Select(v => (JsonNode?)EntityRenderer.Version(v, api))]),
        FieldSelection.StoryPointsField => issue.StoryPoints,
        FieldSelection.SprintField => SprintRenderer.Field(issue),
        "parent" => issue.Epic is null ? null : IssueLinkRenderer.Parent(issue.Epic, api),
        "issuelinks" => IssueLinkRenderer.Links(issue, api, store),
        "timespent" => issue.Worklogs.Count == 0 ? null : issue.TimeSpentSeconds,
        "timeoriginalestimate" => issue.OriginalEstimateSeconds,
        "timeestimate" => issue.RemainingEstimateSeconds,
        "timetracking" => WorklogRenderer.TimeTracking(issue),
        "comment" => CommentRenderer.Field(issue, api),
        "worklog" => WorklogRenderer.Field(issue, api),
        "attachment" => AttachmentRenderer.Attachments(issue, api),

        // The Agile API's fields: the open sprint, the closed ones, and the epic.
        "sprint" => issue.OpenSprint is { } open ? SprintRenderer.Sprint(open, api) : null,
        "closedSprints" => new JsonArray(issue.Sprints.Where(s => s.State == SprintState.Closed).Select(s => (JsonNode?)SprintRenderer.Sprint(s, api)).ToArray()),
        "flagged" => issue.Flagged,
        "epic" => issue.Epic is null ? null : BoardRenderer.Epic(issue.Epic, api),
        _ => null,
    };
}
