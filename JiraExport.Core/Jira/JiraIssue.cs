using System.Text.Json.Serialization;

namespace JiraExport.Core.Jira;

/// <summary>The subset of Jira's IssueBean that exports read.</summary>
public sealed record JiraIssue(string Id, string Key, JiraIssueFields Fields);

public sealed record JiraIssueFields(
    string? Summary,
    JiraNamed? Status,
    JiraNamed? Priority,
    JiraUser? Assignee,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? Created,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? Updated);

public sealed record JiraNamed(string? Id, string Name);

public sealed record JiraUser(string? AccountId, string? Name, string DisplayName, string? EmailAddress);

/// <summary>One page of search results, whichever paging the deployment uses.</summary>
public sealed record JiraSearchPage(IReadOnlyList<JiraIssue> Issues, bool IsLast, int? Total);

/// <summary>The fields an issue-list export asks for — explicit, never <c>*all</c>.</summary>
public static class JiraFieldSets
{
    public static readonly string[] IssueList = ["summary", "status", "priority", "assignee", "created", "updated"];
}
