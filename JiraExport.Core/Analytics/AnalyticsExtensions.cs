using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Core.Analytics;

public static class AnalyticsExtensions
{
    /// <summary>The flow store and definitions, scoped like the DbContext they read through.</summary>
    public static IServiceCollection AddFlowAnalytics(this IServiceCollection services) =>
        services.AddScoped<FlowStore>().AddScoped<FlowDefinitions>();
}
