namespace JiraExport.JiraSimulator.Tests.OpenApi;

/// <summary>
/// Where Jira's published schemas are stricter than Jira itself, as "Schema.property" names. Each entry needs evidence
/// from Atlassian (the spec's own examples, captured Cloud payloads); without it a difference is the simulator's to fix.
/// </summary>
/// <param name="NullableProperties">Properties that may be JSON null although the schema does not say <c>nullable</c>.</param>
/// <param name="UndeclaredProperties">Properties Jira sends where the schema says <c>additionalProperties: false</c> and does not list them.</param>
internal sealed record SchemaErrata(IReadOnlySet<string> NullableProperties, IReadOnlySet<string> UndeclaredProperties)
{
    public static readonly SchemaErrata None = new(new HashSet<string>(), new HashSet<string>());

    public static readonly SchemaErrata JiraCloudPlatform = new(
        new HashSet<string>(StringComparer.Ordinal)
        {
            // The spec's own getChangeLogs example sends "from": null and "to": null.
            "ChangeDetails.from",
            "ChangeDetails.to",
            // Captured Cloud webhooks (shared/reference/jira/webhooks/cloud-jira_issue_created.json) send "fromString": null.
            "ChangeDetails.fromString",
        },
        new HashSet<string>(StringComparer.Ordinal)
        {
            // The spec's own bulkFetchIssues example starts with "expand": "schema,names".
            "BulkIssueResults.expand",
            // The spec's own getServerInfo example carries "defaultLocale": {"locale": "en_AU"}.
            "ServerInformation.defaultLocale",
        });

    public static readonly SchemaErrata JiraSoftwareAgile = new(
        new HashSet<string>(StringComparer.Ordinal)
        {
            // The same ChangeDetails as the platform's, inlined into IssueBean here: the platform spec's own
            // getChangeLogs example sends "from"/"to": null, and captured Cloud webhooks send "fromString": null.
            "IssueBean.changelog.histories[].items[].from",
            "IssueBean.changelog.histories[].items[].to",
            "IssueBean.changelog.histories[].items[].fromString",
        },
        new HashSet<string>(StringComparer.Ordinal)
        {
            // The spec's own getConfiguration example locates the board by "key", "id", "self" and "name"; the schema
            // lists only "type" and "projectKeyOrId". The simulator answers like the example.
            "BoardConfigBean.location.key",
            "BoardConfigBean.location.id",
            "BoardConfigBean.location.self",
            "BoardConfigBean.location.name",
        });
}
