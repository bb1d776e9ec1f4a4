using System.Text.Json.Serialization;

namespace JiraExport.Core.Jira;

public sealed record JiraProject(string Id, string Key, string Name, string? ProjectTypeKey);

public sealed record JiraIssueType(string Id, string Name, bool Subtask, int? HierarchyLevel);

public sealed record JiraStatusCategory(int Id, string Key, string Name);

/// <summary>A workflow status; reports key on <see cref="Id"/> and <see cref="StatusCategory"/>, since names are renamed and translated.</summary>
public sealed record JiraStatus(string Id, string Name, JiraStatusCategory? StatusCategory);

public sealed record JiraBoardLocation(long? ProjectId, string? ProjectKey, string? ProjectName);

public sealed record JiraBoard(long Id, string Name, string Type, JiraBoardLocation? Location);

public sealed record JiraSprint(
    long Id,
    string Name,
    string State,
    long? OriginBoardId,
    string? Goal,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? StartDate,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? EndDate,
    [property: JsonConverter(typeof(JiraDateTimeOffsetConverter))] DateTimeOffset? CompleteDate);

public sealed record JiraEpic(long Id, string Key, string? Name, string? Summary, bool Done);
