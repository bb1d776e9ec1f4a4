using JiraExport.Core.Domain;
using JiraExport.Core.Persistence;

namespace JiraExport.Core.Tests.Persistence;

public sealed class SnakeCaseColumnNameTests
{
    [Theory]
    [InlineData("Id", "id")]
    [InlineData("TenantId", "tenant_id")]
    [InlineData("LastEventSequence", "last_event_sequence")]
    [InlineData("EncryptedCredential", "encrypted_credential")]
    [InlineData("TraceParent", "trace_parent")]
    [InlineData("SizeBytes", "size_bytes")]
    [InlineData("Sha256Hash", "sha256_hash")]
    [InlineData("name", "name")]
    public void PascalCaseBecomesSnakeCase(string property, string column)
    {
        Assert.Equal(column, JiraExportDbContext.ToSnakeCase(property));
    }

    [Fact]
    public void ColumnsNamedInRawSqlMatchTheirProperties()
    {
        // DomainEventWriter's UPDATE statement spells these out by hand.
        Assert.Equal("last_event_sequence", JiraExportDbContext.ToSnakeCase(nameof(Tenant.LastEventSequence)));
        Assert.Equal("id", JiraExportDbContext.ToSnakeCase(nameof(Tenant.Id)));
    }

    [Fact]
    public void SnakeCaseIsIdempotent()
    {
        Assert.Equal("tenant_id", JiraExportDbContext.ToSnakeCase("tenant_id"));
    }
}
