var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Routes are the gateway's own (appsettings.json); which instances stand behind each cluster comes from the AppHost
// as service names, resolved through service discovery.
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapReverseProxy();

app.Run();
