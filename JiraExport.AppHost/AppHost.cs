using JiraExport.AppHost.DemoTenant;
using JiraExport.AppHost.Infrastructure;
using JiraExport.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);

// Containers when a Docker engine answers (and always for the published manifest); host processes otherwise.
// Both give the same resource names and connection strings, so the services cannot tell them apart.
var infrastructure = builder.AddJiraExportInfrastructure();
var postgres = infrastructure.Postgres;
var database = infrastructure.Database;
var redis = infrastructure.Redis;
var messaging = infrastructure.Messaging;
var mail = infrastructure.Mail;

// The services connect as a role that owns nothing and cannot bypass row-level security.
var appRolePassword = builder.AddParameter("db-app-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
var appDatabase = builder.AddConnectionString(ResourceNames.DatabaseAppRole,
    ReferenceExpression.Create($"{database.Resource.ConnectionStringExpression};Username=jiraexport_app;Password={appRolePassword}"));

var adminKey = builder.AddParameter(ResourceNames.AdminKey, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

// Encrypts the Data Protection key ring at rest; it never enters the database. A deployment supplies its own.
var keyRingCertificate = builder.ExecutionContext.IsPublishMode
    ? builder.AddParameter(KeyRingCertificate.ParameterName, secret: true)
    : builder.AddParameter(KeyRingCertificate.ParameterName, new KeyRingCertificateDefault(), secret: true, persist: true);

// Migrations run as the owner and finish before anything that reads the schema starts.
var migrations = builder.AddProject<Projects.JiraExport_Worker>(ResourceNames.Migrations)
    .WithArgs("migrate")
    .WithReference(database)
    .WithReference(appDatabase)
    .WithEnvironment("DataProtection__KeyRingCertificate", keyRingCertificate)
    .WaitFor(postgres);

// How the services reach each other's public endpoints: HTTPS once deployed, loopback HTTP locally.
var scheme = builder.ExecutionContext.IsPublishMode ? "https" : "http";

var api = builder.AddProject<Projects.JiraExport_Api>(ResourceNames.Api)
    .WithReference(appDatabase)
    .WaitFor(postgres)
    .WithReference(redis)
    .WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithEnvironment("Admin__Key", adminKey)
    .WithEnvironment("DataProtection__KeyRingCertificate", keyRingCertificate)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    // After the public endpoints are marked external, so the scrape port stays internal.
    .WithMetricsEndpoint();

var worker = builder.AddProject<Projects.JiraExport_Worker>(ResourceNames.Worker)
    .WithReference(appDatabase)
    .WaitFor(postgres)
    // Evicts the Api's cached reads when the Jira data behind them changes.
    .WithReference(redis)
    .WaitFor(redis)
    .WithReference(messaging)
    .WaitFor(messaging)
    .WithReference(mail)
    .WaitFor(mail)
    .WaitForCompletion(migrations)
    .WithEnvironment("DataProtection__KeyRingCertificate", keyRingCertificate)
    // Where Jira sends an OAuth connection's events (its dynamic webhook): the Api's public address.
    .WithEnvironment("DynamicWebhooks__PublicBaseUrl", ReferenceExpression.Create(
        $"{api.GetEndpoint(scheme)}"))
    .WithHttpHealthCheck("/health")
    .WithMetricsEndpoint();

var realtime = builder.AddProject<Projects.JiraExport_Realtime>(ResourceNames.Realtime)
    .WithReference(appDatabase)
    .WaitFor(postgres)
    .WithReference(redis)
    .WaitFor(redis)
    .WithReference(messaging)
    .WaitFor(messaging)
    .WaitForCompletion(migrations)
    .WithEnvironment("DataProtection__KeyRingCertificate", keyRingCertificate)
    // Verifies access tokens with the keys the Api publishes; fetched lazily, so no WaitFor(api). A deployment reads
    // them over HTTPS (a forged key set would let anyone mint tokens); locally the Api listens on loopback HTTP.
    .WithEnvironment("Auth__MetadataAddress", ReferenceExpression.Create(
        $"{api.GetEndpoint(scheme)}/.well-known/openid-configuration"))
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    // After the public endpoints are marked external, so the scrape port stays internal.
    .WithMetricsEndpoint();

// The Api's dashboard page (/dashboard/) connects to the hub from the browser: the page learns where it is, and the hub
// lets the page's origin in.
api.WithEnvironment("Dashboard__HubUrl", ReferenceExpression.Create($"{realtime.GetEndpoint(scheme)}/hubs/exports"));
realtime.WithEnvironment("Realtime__AllowedOrigins__0", ReferenceExpression.Create($"{api.GetEndpoint(scheme)}"));

// Locally, Prometheus scrapes the three services and evaluates the alert rules a deployment uses.
builder.AddPrometheus(api, worker, realtime);

if (builder.ExecutionContext.IsRunMode)
{
    // The simulator stands in for a customer's Jira locally and in tests; it is never deployed.
    var jiraSimulator = builder.AddProject<Projects.JiraExport_JiraSimulator>(ResourceNames.JiraSimulator)
        .WithHttpHealthCheck("/health");

    // Locally the simulator lives on loopback, which the Jira client refuses everywhere else.
    api.WithEnvironment("Jira__AllowPrivateNetworks", "true");
    worker.WithEnvironment("Jira__AllowPrivateNetworks", "true");

    builder.AddDemoTenant(api, realtime, jiraSimulator, adminKey);
}

builder.Build().Run();
