using System.Globalization;
using System.Text;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// The issue list as CSV (RFC 4180: CRLF rows, fields quoted when they hold a comma, quote or line break, quotes
/// doubled), UTF-8, with a byte order mark when asked (Excel then reads it as UTF-8). A cell that a spreadsheet would run
/// as a formula (starting with = + - @, tab or CR) gets a leading apostrophe, so a summary typed in Jira cannot become a
/// formula in someone's Excel. Instants are UTC ISO 8601, lists are joined with ", ".
/// </summary>
public sealed class IssueListCsv : IIssueListWriter
{
    private readonly StreamWriter _writer;

    public IssueListCsv(Stream output, IReadOnlyList<IssueField> fields, bool byteOrderMark)
    {
        if (byteOrderMark)
        {
            output.Write(Encoding.UTF8.Preamble);
        }

        _writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
        WriteRow(fields.Select(f => f.Header).ToList());
    }

    /// <summary>Buffered (64 KiB) and written to the file as the buffer fills.</summary>
    public Task WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        WriteRow(values.Select(Format).ToList());
        return Task.CompletedTask;
    }

    public async Task CompleteAsync(int issueCount, CancellationToken cancellationToken) => await _writer.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void WriteRow(IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            _writer.Write(Cell(cells[i]));
        }

        _writer.Write("\r\n");
    }

    internal static string? Format(object? value) => value switch
    {
        null => null,
        string text => text,
        double number => number.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IEnumerable<string> list => string.Join(", ", list),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    internal static string Cell(string? value)
    {
        var text = value ?? string.Empty;
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
