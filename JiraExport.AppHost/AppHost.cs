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

// Analytics read the synced data from the standby where there is one (Npgsql multi-host, standby preferred). A
// deployment with its own standby sets ConnectionStrings__jiraexportdb-app-reads the same way.
var readDatabase = infrastructure.Standby is { } standby
    ? builder.AddConnectionString(ResourceNames.DatabaseReads,
        ReferenceExpression.Create($"{appDatabase.Resource.ConnectionStringExpression};Host={standby.ReadHosts}"))
    : null;

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

// Every service twice: a rolling restart, a crash or a deploy leaves one answering.
const int Instances = 2;

var api = builder.AddServiceInstances<Projects.JiraExport_Api>(ResourceNames.Api, Instances).Configure(instance => instance
    .WithReference(appDatabase)
    .WaitFor(postgres)
    .WithReference(redis)
    .WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithEnvironment("Admin__Key", adminKey)
    .WithEnvironment("DataProtection__KeyRingCertificate", keyRingCertificate)
    .WithHttpHealthCheck("/health")
    .WithMetricsEndpoint()
    .WithTwoMallocArenas());
if (readDatabase is not null)
{
    api.Configure(instance => instance.WithReference(readDatabase).WaitFor(infrastructure.Standby!.Server));
}

var worker = builder.AddServiceInstances<Projects.JiraExport_Worker>(ResourceNames.Worker, Instances).Configure(instance => instance
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
    .WithHttpHealthCheck("/health")
    .WithMetricsEndpoint()
    .WithTwoMallocArenas());

var realtime = builder.AddServiceInstances<Projects.JiraExport_Realtime>(ResourceNames.Realtime, Instances).Configure(instance => instance
    .WithReference(appDatabase)
    .WaitFor(postgres)
    .WithReference(redis)
    .WaitFor(redis)
    .WithReference(messaging)
    .WaitFor(messaging)
    .WaitForCompletion(migrations)
    .WithEnvironment("DataProtection__KeyRingCertificate", keyRingCertificate)
    .WithHttpHealthCheck("/health")
    .WithMetricsEndpoint()
    .WithTwoMallocArenas());

// The one entry point: /hubs to Realtime, everything else to the Api. Only the gateway is exposed outside.
var gateway = builder.AddProject<Projects.JiraExport_Gateway>(ResourceNames.Gateway)
    .WithDirectEndpoint(launchProfilePort: true)
    .WithCluster(api)
    .WithCluster(realtime)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    // After the public endpoints are marked external, so the scrape port stays internal.
    .WithMetricsEndpoint()
    .WithTwoMallocArenas();
var publicAddress = gateway.GetEndpoint(scheme);

// Behind the gateway the Api sees the gateway's address; it may say who the client is (per-address limits, audit).
// Locally that is loopback; a deployment names its gateway's network the same way.
if (builder.ExecutionContext.IsRunMode)
{
    api.Configure(instance => instance
        .WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true")
        .WithEnvironment("ForwardedHeaders__KnownNetworks__0", "127.0.0.1/32")
        .WithEnvironment("ForwardedHeaders__KnownNetworks__1", "::1/128"));
}

// The dashboard page (/dashboard/) and the hub are both behind the gateway: one origin, which the hub lets in. Single
// sign-on's addresses (redirect URI, SAML audience and recipient) are the public ones, never built from a Host header
// the caller chose.
api.Configure(instance => instance
    .WithEnvironment("Dashboard__HubUrl", ReferenceExpression.Create($"{publicAddress}/hubs/exports"))
    .WithEnvironment("Sso__PublicBaseUrl", ReferenceExpression.Create($"{publicAddress}")));
realtime.Configure(instance => instance
    .WithEnvironment("Realtime__AllowedOrigins__0", ReferenceExpression.Create($"{publicAddress}"))
    // Verifies access tokens with the keys the Api publishes, through the gateway (any Api instance answers); fetched
    // lazily, so no WaitFor. A deployment reads them over HTTPS (a forged key set would let anyone mint tokens).
    .WithEnvironment("Auth__MetadataAddress", ReferenceExpression.Create($"{publicAddress}/.well-known/openid-configuration")));
// Where Jira sends an OAuth connection's events (its dynamic webhook), and where a mailed report's link points: the
// public address.
worker.Configure(instance => instance
    .WithEnvironment("DynamicWebhooks__PublicBaseUrl", ReferenceExpression.Create($"{publicAddress}"))
    .WithEnvironment("ReportSchedules__PublicBaseUrl", ReferenceExpression.Create($"{publicAddress}")));

// Locally, Prometheus scrapes every instance and evaluates the alert rules a deployment uses.
builder.AddPrometheus(api, worker, realtime, new ServiceInstances(ResourceNames.Gateway, [gateway]));

if (builder.ExecutionContext.IsRunMode)
{
    // The simulator stands in for a customer's Jira locally and in tests; it is never deployed.
    var jiraSimulator = builder.AddProject<Projects.JiraExport_JiraSimulator>(ResourceNames.JiraSimulator)
        .WithHttpHealthCheck("/health");

    // Locally the simulator lives on loopback, which the Jira client refuses everywhere else.
    api.Configure(instance => instance.WithEnvironment("Jira__AllowPrivateNetworks", "true"));
    worker.Configure(instance => instance.WithEnvironment("Jira__AllowPrivateNetworks", "true"));

    builder.AddDemoTenant(gateway, jiraSimulator, adminKey);
}

builder.Build().Run();
