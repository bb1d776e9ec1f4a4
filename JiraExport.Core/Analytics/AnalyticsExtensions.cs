using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Core.Analytics;

public static class AnalyticsExtensions
{
    /// <summary>The flow and sprint stores and the definitions, scoped like the DbContext they read through.</summary>
    public static IServiceCollection AddFlowAnalytics(this IServiceCollection services) =>
        services.AddScoped<FlowStore>().AddScoped<FlowDefinitions>().AddScoped<SprintStore>();
}
