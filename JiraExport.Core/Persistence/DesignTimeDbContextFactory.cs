using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JiraExport.Core.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JiraExportDbContext>
{
    public JiraExportDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<JiraExportDbContext>()
            .UseNpgsql("Host=localhost;Database=jiraexportdb")
            .Options;
        return new JiraExportDbContext(options);
    }
}
