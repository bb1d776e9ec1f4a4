using JiraExport.Core.Jira;

namespace JiraExport.Core.Tests.Jira;

public sealed class JiraErrorBodyTests
{
    [Fact]
    public void ErrorMessagesAreSurfacedVerbatim()
    {
        var detail = JiraErrorBody.Describe(
            """{"errorMessages":["Field 'sprint' does not exist or you do not have permission to view it."],"errors":{}}""");

        Assert.Equal("Field 'sprint' does not exist or you do not have permission to view it.", detail);
    }

    [Fact]
    public void FieldErrorsAreSurfacedAsNameColonMessage()
    {
        var detail = JiraErrorBody.Describe(
            """{"errorMessages":[],"errors":{"jql":"The value 'NOPE' does not exist for the field 'project'."}}""");

        Assert.Equal("jql: The value 'NOPE' does not exist for the field 'project'.", detail);
    }

    [Fact]
    public void MessagesAndFieldErrorsAreJoinedInOrderWithSpaces()
    {
        var detail = JiraErrorBody.Describe(
            """
            {
              "errorMessages": ["Поле «Спринт» не существует.", "Second message."],
              "errors": {"summary": "You must specify a summary of the issue.", "priority": "Priority name 'Blocker' is not valid"}
            }
            """);

        Assert.Equal(
            "Поле «Спринт» не существует. Second message. summary: You must specify a summary of the issue. priority: Priority name 'Blocker' is not valid",
            detail);
    }

    [Fact]
    public void GatewayStyleMessagePropertyIsSurfaced()
    {
        Assert.Equal("Client must be authenticated to access this resource.",
            JiraErrorBody.Describe("""{"message":"Client must be authenticated to access this resource.","status-code":401}"""));
    }

    [Fact]
    public void JsonObjectWithoutKnownPropertiesIsReturnedAsIs()
    {
        Assert.Equal("""{"status":503}""", JiraErrorBody.Describe("""{"status":503}"""));
    }

    [Fact]
    public void ShortNonJsonBodyIsReturnedTrimmed()
    {
        Assert.Equal("Service Unavailable", JiraErrorBody.Describe("  Service Unavailable\n"));
    }

    [Fact]
    public void EmptyBodyDescribesAsEmpty()
    {
        Assert.Equal("", JiraErrorBody.Describe(""));
    }

    [Fact]
    public void LongNonJsonBodyIsTruncatedTo300CharactersWithAnEllipsis()
    {
        var html = "<html><head><title>502 Bad Gateway</title></head><body>" + new string('x', 1_000) + "</body></html>";

        var detail = JiraErrorBody.Describe(html);

        Assert.Equal(html[..300] + "…", detail);
        Assert.Equal(301, detail.Length);
    }

    [Fact]
    public void BodyOfExactly300CharactersIsNotTruncated()
    {
        var body = new string('y', 300);

        Assert.Equal(body, JiraErrorBody.Describe(body));
    }

    // A proxy or gateway in front of Jira can answer an error with JSON that is not an object.
    [Theory]
    [InlineData("[\"Rate limit exceeded\"]")]
    [InlineData("\"Service Unavailable\"")]
    [InlineData("503")]
    [InlineData("null")]
    public void JsonBodyThatIsNotAnObjectIsReturnedAsIs(string body)
    {
        Assert.Equal(body, JiraErrorBody.Describe(body));
    }
}
