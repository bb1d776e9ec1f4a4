using System.Text;
using System.Text.Json;
using JiraExport.Core.Jira;

namespace JiraExport.Core.Tests.Jira;

public sealed class JiraDateTimeOffsetConverterTests
{
    [Theory]
    [InlineData("2022-06-09T16:29:31.871-0700", 2022, 6, 9, 16, 29, 31, 871, -7 * 60)]
    [InlineData("2018-12-05T14:32:11.571+0300", 2018, 12, 5, 14, 32, 11, 571, 3 * 60)]
    [InlineData("2020-12-03T14:05:20.974+0100", 2020, 12, 3, 14, 5, 20, 974, 60)]
    [InlineData("2021-01-17T12:34:00.000+0000", 2021, 1, 17, 12, 34, 0, 0, 0)]
    [InlineData("2019-03-01T08:00:00.000+0530", 2019, 3, 1, 8, 0, 0, 0, 5 * 60 + 30)]
    [InlineData("2015-04-11T15:22:00.000+10:00", 2015, 4, 11, 15, 22, 0, 0, 10 * 60)]
    [InlineData("2015-04-11T15:22:00.000-03:30", 2015, 4, 11, 15, 22, 0, 0, -(3 * 60 + 30))]
    [InlineData("2024-03-05T10:15:30.125Z", 2024, 3, 5, 10, 15, 30, 125, 0)]
    [InlineData("2024-03-05T10:15:30Z", 2024, 3, 5, 10, 15, 30, 0, 0)]
    [InlineData("2024-03-05T10:15:30+0200", 2024, 3, 5, 10, 15, 30, 0, 2 * 60)]
    public void OffsetsWithAndWithoutColonAndZuluAreRead(
        string text, int year, int month, int day, int hour, int minute, int second, int millisecond, int offsetMinutes)
    {
        var value = ReadFields($$"""{"updated":"{{text}}"}""").Updated;

        var expected = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.FromMinutes(offsetMinutes));
        Assert.Equal(expected, value);
        Assert.Equal(expected.Offset, value?.Offset);
    }

    [Fact]
    public void PlainDateIsMidnightUtc()
    {
        var value = ReadFields("""{"created":"2024-03-05"}""").Created;

        Assert.Equal(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero), value);
        Assert.Equal(TimeSpan.Zero, value?.Offset);
    }

    [Fact]
    public void NullAndMissingDatesAreNull()
    {
        var fields = ReadFields("""{"created":null}""");

        Assert.Null(fields.Created);
        Assert.Null(fields.Updated);
    }

    [Fact]
    public void ConverterReadsNullTokenAndEmptyStringAsNull()
    {
        Assert.Null(ReadDirectly("null"));
        Assert.Null(ReadDirectly("\"\""));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    [InlineData("2024-03-05T25:00:00.000+0000")]
    [InlineData("05/03/2024")]
    [InlineData("2022-06-09T16:29:31.871-07")]
    [InlineData("2022-06-09T16:29:31.871+ABCD")]
    [InlineData("12345-6789")]
    public void GarbageIsRejectedWithJsonException(string text)
    {
        var ex = Assert.Throws<JsonException>(() => ReadFields($$"""{"updated":"{{text}}"}"""));

        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRejectsGarbageWithJsonExceptionNamingTheText()
    {
        var ex = Assert.Throws<JsonException>(() => JiraDateTimeOffsetConverter.Parse("not a date"));

        Assert.Equal("'not a date' is not a date Jira writes.", ex.Message);
    }

    [Theory]
    // The bulk changelog example in the published spec writes epoch seconds; milliseconds are read too.
    [InlineData("1492070429", "2017-04-13T08:00:29+00:00")]
    [InlineData("1654817371871", "2022-06-09T23:29:31.871+00:00")]
    public void EpochNumbersAreReadAsInstants(string number, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ReadFields($$"""{"updated":{{number}}}""").Updated);
    }

    [Fact]
    public void ABooleanInsteadOfADateIsRejectedWithJsonException()
    {
        Assert.Throws<JsonException>(() => ReadFields("""{"updated":true}"""));
    }

    [Theory]
    [InlineData("2022-06-09T16:29:31.871-0700")]
    [InlineData("2018-12-05T14:32:11.571+0300")]
    [InlineData("2021-01-17T12:34:00.000+0000")]
    [InlineData("2019-03-01T08:00:00.000+0530")]
    public void WriteProducesJirasOwnFormat(string jiraText)
    {
        var value = JiraDateTimeOffsetConverter.Parse(jiraText);

        // The default writer escapes '+' as \u002B; what matters is the string a JSON reader gets back.
        Assert.Equal(jiraText, JsonSerializer.Deserialize<string>(WriteDirectly(value)));
    }

    [Fact]
    public void WriteRoundTripsThroughRead()
    {
        var original = new JiraIssueFields(
            "Round trip", null, null, null,
            new DateTimeOffset(2015, 4, 11, 15, 22, 0, 7, TimeSpan.FromHours(10)),
            new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(-7)));

        var json = JsonSerializer.Serialize(original, JsonSerializerOptions.Web);
        var copy = JsonSerializer.Deserialize<JiraIssueFields>(json, JsonSerializerOptions.Web);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("2015-04-11T15:22:00.007+1000", document.RootElement.GetProperty("created").GetString());
        Assert.Equal("2024-02-29T23:59:59.999-0700", document.RootElement.GetProperty("updated").GetString());
        Assert.Equal(original, copy);
        Assert.Equal(original.Created?.Offset, copy?.Created?.Offset);
        Assert.Equal(original.Updated?.Offset, copy?.Updated?.Offset);
    }

    [Fact]
    public void WriteOfNullIsJsonNull()
    {
        Assert.Equal("null", WriteDirectly(null));
    }

    private static JiraIssueFields ReadFields(string json) =>
        JsonSerializer.Deserialize<JiraIssueFields>(json, JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException("The fields deserialized to null.");

    private static DateTimeOffset? ReadDirectly(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return new JiraDateTimeOffsetConverter().Read(ref reader, typeof(DateTimeOffset?), JsonSerializerOptions.Web);
    }

    private static string WriteDirectly(DateTimeOffset? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            new JiraDateTimeOffsetConverter().Write(writer, value, JsonSerializerOptions.Web);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
