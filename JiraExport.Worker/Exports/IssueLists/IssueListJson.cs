using System.Text.Encodings.Web;
using System.Text.Json;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// The issue list as JSON, schema <c>jiraexport.issue-list/v1</c>, streamed:
/// <c>{schema, title, jql, generatedAt, fields:[{name, header, type}], issues:[{…one property per field…}], issueCount}</c>.
/// Without a field selection the issues carry <c>key, summary, status, assignee, priority, updated</c>, as before; a
/// selection names the properties (custom fields as requested: <c>"Story Points"</c> or <c>"customfield_10016"</c>).
/// Numbers are numbers, instants ISO 8601 UTC, dates <c>yyyy-MM-dd</c>, lists arrays, missing values null. Fields keep
/// their names across versions; a change of meaning gets a new schema name.
/// </summary>
public sealed class IssueListJson : IIssueListWriter
{
    public const string Schema = "jiraexport.issue-list/v1";

    private const int FlushThreshold = 1 << 16;
    private readonly Stream _output;
    private readonly Utf8JsonWriter _writer;
    private readonly JsonEncodedText[] _names;

    public IssueListJson(Stream output, IReadOnlyList<IssueField> fields, IssueListInfo info)
    {
        _output = output;
        _writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _names = fields.Select(f => JsonEncodedText.Encode(f.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray();

        _writer.WriteStartObject();
        _writer.WriteString("schema", Schema);
        _writer.WriteString("title", info.Title);
        _writer.WriteString("jql", info.Jql);
        _writer.WriteString("generatedAt", info.GeneratedAt.ToUniversalTime());
        _writer.WriteStartArray("fields");
        foreach (var field in fields)
        {
            _writer.WriteStartObject();
            _writer.WriteString("name", field.Name);
            _writer.WriteString("header", field.Header);
            _writer.WriteString("type", JsonNamingPolicy.CamelCase.ConvertName(field.Kind.ToString()));
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        _writer.WriteStartArray("issues");
    }

    public async Task WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        _writer.WriteStartObject();
        for (var i = 0; i < values.Count; i++)
        {
            _writer.WritePropertyName(_names[i]);
            WriteValue(values[i]);
        }

        _writer.WriteEndObject();
        if (_writer.BytesPending > FlushThreshold)
        {
            await _writer.FlushAsync(cancellationToken);
        }
    }

    public async Task CompleteAsync(int issueCount, CancellationToken cancellationToken)
    {
        _writer.WriteEndArray();
        // Last, as the count is known only once the rows are written; JSON readers do not mind the order.
        _writer.WriteNumber("issueCount", issueCount);
        _writer.WriteEndObject();
        await _writer.FlushAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null:
                _writer.WriteNullValue();
                break;
            case string text:
                _writer.WriteStringValue(text);
                break;
            case double number:
                _writer.WriteNumberValue(number);
                break;
            case DateTimeOffset instant:
                _writer.WriteStringValue(instant.ToUniversalTime());
                break;
            case DateOnly date:
                _writer.WriteStringValue(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case IEnumerable<string> list:
                _writer.WriteStartArray();
                foreach (var item in list)
                {
                    _writer.WriteStringValue(item);
                }

                _writer.WriteEndArray();
                break;
            default:
                _writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
