using System.Reflection;
using Asp.Versioning;
using JiraExport.Api.Extensions;
using JiraExport.Api.Throttling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace JiraExport.Api.OpenApi;

/// <summary>
/// One OpenAPI document per API version at <c>/openapi/{version}.json</c>, committed under <c>docs/api</c> by the build,
/// and Scalar's reference for them at <c>/scalar</c>.
/// </summary>
internal static class ApiDocumentExtensions
{
    /// <summary>The documents served and committed: one per API version, named as the explorer groups it ("v1").</summary>
    public static readonly IReadOnlyList<string> DocumentNames = [.. ApiVersions.All.Select(ApiVersions.DocumentName)];

    /// <summary>
    /// The build runs the Api to write its documents (Microsoft.Extensions.ApiDescription.Server) with no servers and no
    /// secrets: as in Development, where none are required, and with no background work.
    /// </summary>
    public static bool WritingDocumentsAtBuild { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static WebApplicationOptions Options(string[] args) =>
        new() { Args = args, EnvironmentName = WritingDocumentsAtBuild ? Environments.Development : null };

    /// <summary>When the build runs the Api for its documents, nothing starts: no background work, no checks of settings it lacks.</summary>
    public static void DescribeOnlyWhenWritingDocumentsAtBuild(this IServiceCollection services)
    {
        if (WritingDocumentsAtBuild)
        {
            services.RemoveAll<IHostedService>();
            services.RemoveAll<IStartupValidator>();
        }
    }

    public static IApiVersioningBuilder AddApiDocuments(this IApiVersioningBuilder versioning)
    {
        versioning.AddApiExplorer(options =>
        {
            options.GroupNameFormat = "'v'V";
            options.SubstituteApiVersionInUrl = true;
        });

        foreach (var documentName in DocumentNames)
        {
            versioning.Services.AddOpenApi(documentName, options =>
            {
                options.AddDocumentTransformer<ApiDocumentDescription>();
                options.AddOperationTransformer<OperationContract>();
                options.AddSchemaTransformer<NullableIsOptional>();
                options.AddSchemaTransformer<NumbersAreNumbers>();
                options.AddSchemaTransformer<ContractExamples>();
            });
        }

        return versioning;
    }

    public static WebApplication MapApiDocuments(this WebApplication app)
    {
        // Anonymous, and built on each request: throttled per address like the other anonymous routes.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().RequireAnonymousThrottling();
        // Everything Scalar needs is served from this process: no fonts or scripts from elsewhere, no telemetry.
        app.MapScalarApiReference("/scalar", options => options
                .WithTitle("JiraExport API")
                .AddDocuments(DocumentNames)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .WithNonce())
            .AllowAnonymous()
            .RequireAnonymousThrottling();
        app.MapGet(ApiVersions.MigrationGuidePath, ReadMigrationGuide).AllowAnonymous().RequireAnonymousThrottling().ExcludeFromDescription();
        app.MapProblemTypes();
        return app;
    }

    private static readonly Lazy<string> MigrationGuide = new(() =>
    {
        using var stream = typeof(ApiDocumentExtensions).Assembly.GetManifestResourceStream("migration-v1-to-v2.md")!;
        return new StreamReader(stream).ReadToEnd();
    });

    private static IResult ReadMigrationGuide() => TypedResults.Text(MigrationGuide.Value, "text/markdown; charset=utf-8");
}
