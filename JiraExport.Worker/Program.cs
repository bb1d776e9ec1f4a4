using JiraExport.ServiceDefaults;
using JiraExport.Worker.Extensions;

// "new-key-ring-certificate" prints a certificate for DataProtection__KeyRingCertificate (base64 PKCS#12) and exits.
if (args is ["new-key-ring-certificate"])
{
    Console.WriteLine(KeyRingCertificate.CreateBase64());
    return;
}

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
