using JiraExport.Worker.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

// "migrate" runs the database migrations as the owner and exits: the AppHost runs it before Api and Worker start.
if (args is ["migrate", ..])
{
    await builder.RunMigrationsAsync();
    return;
}

builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
