using JiraExport.Api.Apis;
using JiraExport.Api.Extensions;
using JiraExport.Api.OpenApi;
using JiraExport.Api.Pages;

var builder = WebApplication.CreateBuilder(ApiDocumentExtensions.Options(args));

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApplicationMiddleware();
app.MapDefaultEndpoints();

app.MapWellKnownEndpoints();
app.MapDashboardPage();
app.MapApiDocuments();

app.MapJiraExportApi();

app.Run();

/// <summary>Entry point, public so integration tests can host the Api.</summary>
public partial class Program;
