using System.Text.RegularExpressions;
using JiraExport.Core.Persistence;
using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>docs/DATA-AT-REST.md says how every table is protected at rest: a table added to the model must be added there.</summary>
public sealed partial class DataAtRestDocumentTests
{
    [Fact]
    public void EveryTableOfTheModelIsListedWithItsProtectionAtRestAndNoOtherIs()
    {
        using var db = new JiraExportDbContext(new DbContextOptionsBuilder<JiraExportDbContext>().UseNpgsql("Host=unused").Options);
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order().ToList();

        var document = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "DATA-AT-REST.md"));
        var rows = TableRow().Matches(document).Select(m => (Table: m.Groups["table"].Value, AtRest: m.Groups["at_rest"].Value.Trim())).ToList();

        Assert.Equal(tables, rows.Select(r => r.Table).Order());
        Assert.All(rows, r => Assert.Matches("^(Encrypted|Hashed|Storage)", r.AtRest));
    }

    [GeneratedRegex(@"^\| `(?<table>[a-z_]+)` \| [^|]+ \| (?<at_rest>[^|]+) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
