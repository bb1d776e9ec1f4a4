using JiraExport.Realtime.Extensions;
using JiraExport.Realtime.Hubs;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseRealtimeMiddleware();
app.MapDefaultEndpoints();
app.MapHub<ExportsHub>(ExportsHub.Path);

app.Run();

/// <summary>Entry point, public so integration tests can host Realtime.</summary>
public partial class Program;
