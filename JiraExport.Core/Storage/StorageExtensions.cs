using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Core.Storage;

public static class StorageExtensions
{
    /// <summary>Export files in PostgreSQL, the default store; scoped like the DbContext whose transaction it joins.</summary>
    public static IServiceCollection AddExportArtifactStore(this IServiceCollection services) =>
        services.AddScoped<IExportArtifactStore, PostgresArtifactStore>();
}
