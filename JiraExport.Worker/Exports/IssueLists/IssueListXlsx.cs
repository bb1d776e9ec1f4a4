using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace JiraExport.Worker.Exports.IssueLists;

/// <summary>
/// The issue list as an Excel workbook, written as a stream: the package is a ZIP written forward only (the packaging
/// API would buffer a part in memory), and the sheet goes through OpenXmlWriter one row at a time with inline strings, so
/// there is no shared-string table to grow. Cells are typed (numbers as numbers, instants and dates as Excel dates with a
/// date style, text as text: never a formula), the header row is bold and frozen, and an auto filter covers the table.
/// Instants are UTC.
/// </summary>
public sealed class IssueListXlsx : IIssueListWriter
{
    public const string SheetName = "Issues";

    private const uint HeaderStyle = 1;
    private const uint DateTimeStyle = 2;
    private const uint DateStyle = 3;
    private const int MaxCellText = 32_767;

    private readonly ZipArchive _package;
    private readonly Stream _sheetStream;
    private readonly OpenXmlWriter _sheet;
    private readonly string[] _columns;
    private uint _row = 1;

    public IssueListXlsx(Stream output, IReadOnlyList<IssueField> fields)
    {
        _columns = Enumerable.Range(0, fields.Count).Select(ColumnName).ToArray();
        _package = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        WriteText("[Content_Types].xml", ContentTypes);
        WriteText("_rels/.rels", PackageRelationships);
        WriteText("xl/_rels/workbook.xml.rels", WorkbookRelationships);
        WritePart("xl/styles.xml", Styles());

        _sheetStream = _package.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
        _sheet = OpenXmlWriter.Create(_sheetStream);
        _sheet.WriteStartDocument();
        _sheet.WriteStartElement(new Worksheet());
        _sheet.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1D, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0U }));
        _sheet.WriteElement(new Columns(fields.Select((f, i) => new Column
        {
            Min = (uint)i + 1, Max = (uint)i + 1, Width = Width(f), CustomWidth = true,
        })));
        _sheet.WriteStartElement(new SheetData());
        WriteRow(fields.Select(f => (object?)f.Header).ToList(), HeaderStyle);
    }

    public Task WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        WriteRow(values, style: null);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(int issueCount, CancellationToken cancellationToken)
    {
        _sheet.WriteEndElement(); // sheetData
        var range = $"A1:{_columns[^1]}{_row - 1}";
        _sheet.WriteElement(new AutoFilter { Reference = range });
        _sheet.WriteEndElement(); // worksheet
        _sheet.Close();
        _sheetStream.Dispose();

        var workbook = new Workbook(
            new Sheets(new Sheet { Name = SheetName, SheetId = 1U, Id = "rId1" }),
            new DefinedNames(new DefinedName($"'{SheetName}'!$A$1:${_columns[^1]}${_row - 1}") { Name = "_xlnm._FilterDatabase", LocalSheetId = 0U, Hidden = true }));
        workbook.AddNamespaceDeclaration("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        WritePart("xl/workbook.xml", workbook);
        _package.Dispose();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _sheet.Dispose();
        _sheetStream.Dispose();
        _package.Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteRow(IReadOnlyList<object?> values, uint? style)
    {
        var rowNumber = _row.ToString(CultureInfo.InvariantCulture);
        _rowAttributes[0] = new OpenXmlAttribute("r", string.Empty, rowNumber);
        _sheet.WriteStartElement(RowTag, _rowAttributes);
        for (var i = 0; i < values.Count; i++)
        {
            var reference = new OpenXmlAttribute("r", string.Empty, _columns[i] + rowNumber);
            switch (values[i])
            {
                case null:
                    break;
                case string text:
                    WriteText(reference, text, style);
                    break;
                case double number when double.IsFinite(number):
                    WriteNumber(reference, number.ToString("R", CultureInfo.InvariantCulture), style);
                    break;
                case DateTimeOffset instant:
                    WriteNumber(reference, instant.UtcDateTime.ToOADate().ToString("R", CultureInfo.InvariantCulture), style ?? DateTimeStyle);
                    break;
                case DateOnly date:
                    WriteNumber(reference, date.ToDateTime(TimeOnly.MinValue).ToOADate().ToString("R", CultureInfo.InvariantCulture), style ?? DateStyle);
                    break;
                case IEnumerable<string> list:
                    WriteText(reference, string.Join(", ", list), style);
                    break;
                case var other:
                    WriteText(reference, Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty, style);
                    break;
            }
        }

        _sheet.WriteEndElement();
        _row++;
    }

    // Cells are written tag by tag from shared, empty elements: no element objects per cell, only the text itself.
    private void WriteText(OpenXmlAttribute reference, string text, uint? style)
    {
        var clean = XmlSafe(text);
        _sheet.WriteStartElement(CellTag, CellAttributes(reference, style, InlineStringType));
        _sheet.WriteStartElement(InlineStringTag);
        _sheet.WriteStartElement(TextTag, PreserveSpace);
        _sheet.WriteString(clean.Length > MaxCellText ? clean[..MaxCellText] : clean);
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
    }

    private void WriteNumber(OpenXmlAttribute reference, string value, uint? style)
    {
        _sheet.WriteStartElement(CellTag, CellAttributes(reference, style, type: null));
        _sheet.WriteStartElement(CellValueTag);
        _sheet.WriteString(value);
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
    }

    private OpenXmlAttribute[] CellAttributes(OpenXmlAttribute reference, uint? style, OpenXmlAttribute? type)
    {
        var count = 1 + (style is null ? 0 : 1) + (type is null ? 0 : 1);
        var attributes = _cellAttributes[count - 1];
        attributes[0] = reference;
        var next = 1;
        if (style is { } s)
        {
            attributes[next++] = new OpenXmlAttribute("s", string.Empty, s.ToString(CultureInfo.InvariantCulture));
        }

        if (type is { } t)
        {
            attributes[next] = t;
        }

        return attributes;
    }

    private static readonly Row RowTag = new();
    private static readonly Cell CellTag = new();
    private static readonly InlineString InlineStringTag = new();
    private static readonly Text TextTag = new();
    private static readonly CellValue CellValueTag = new();
    private static readonly OpenXmlAttribute InlineStringType = new("t", string.Empty, "inlineStr");
    private static readonly OpenXmlAttribute[] PreserveSpace = [new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")];
    private readonly OpenXmlAttribute[] _rowAttributes = new OpenXmlAttribute[1];
    private readonly OpenXmlAttribute[][] _cellAttributes = [new OpenXmlAttribute[1], new OpenXmlAttribute[2], new OpenXmlAttribute[3]];

    /// <summary>XML 1.0 cannot carry most control characters; Jira text occasionally holds them. They are dropped.</summary>
    private static string XmlSafe(string text)
    {
        foreach (var c in text)
        {
            if (!IsXmlChar(c))
            {
                return string.Concat(text.Where(IsXmlChar));
            }
        }

        return text;
    }

    private static bool IsXmlChar(char c) => c >= 0x20 ? c is not ('\uFFFE' or '\uFFFF') : c is '\t' or '\n' or '\r';

    private static double Width(IssueField field) => field.Name switch
    {
        "key" or "id" => 12,
        "summary" => 60,
        "description" or "environment" => 80,
        _ => field.Kind switch
        {
            IssueFieldKind.DateTime => 18,
            IssueFieldKind.Date or IssueFieldKind.Number => 12,
            IssueFieldKind.List => 30,
            _ => Math.Clamp(field.Header.Length + 4, 14, 40),
        },
    };

    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164U, FormatCode = "yyyy-mm-dd hh:mm" },
            new NumberingFormat { NumberFormatId = 165U, FormatCode = "yyyy-mm-dd" })
        { Count = 2U },
        new Fonts(
            new Font(new FontSize { Val = 11D }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11D }, new FontName { Val = "Calibri" }))
        { Count = 2U },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
        { Count = 2U },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1U },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U }) { Count = 1U },
        new CellFormats(
            new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U },
            new CellFormat { NumberFormatId = 0U, FontId = 1U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyFont = true },
            new CellFormat { NumberFormatId = 164U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true })
        { Count = 4U },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0U, BuiltinId = 0U }) { Count = 1U });

    private void WritePart(string name, OpenXmlElement root)
    {
        using var stream = _package.CreateEntry(name, CompressionLevel.Fastest).Open();
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteStartDocument();
        writer.WriteElement(root);
    }

    private void WriteText(string name, string content)
    {
        using var stream = _package.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    private const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """;

    private const string PackageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """;

    private const string WorkbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """;
}
