namespace JiraExport.ServiceDefaults;

/// <summary>Resource and connection names shared by the AppHost, the services and the tests.</summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";

    /// <summary>A hot standby of <see cref="Postgres"/> (streaming replication), where the AppHost runs one.</summary>
    public const string PostgresStandby = "postgres-standby";

    /// <summary>The database, connected to as its owner (migrations only).</summary>
    public const string Database = "jiraexportdb";

    /// <summary>The same database, connected to as the application role that RLS applies to.</summary>
    public const string DatabaseAppRole = "jiraexportdb-app";

    /// <summary>
    /// Optional: the application role's connection for reads a standby may serve, Npgsql multi-host
    /// (<c>Host=primary:5432,standby:5432</c>); the standby is preferred, the primary answers when none does.
    /// </summary>
    public const string DatabaseReads = "jiraexportdb-app-reads";

    public const string Redis = "redis";
    public const string Messaging = "messaging";

    /// <summary>The SMTP server mail is sent through (smtp4dev locally and in tests): <c>smtp://host:port</c>.</summary>
    public const string Mail = "mail";
    public const string Api = "api";
    public const string Worker = "worker";
    public const string Realtime = "realtime";

    /// <summary>The one public entry point (YARP) in front of the Api and Realtime instances.</summary>
    public const string Gateway = "gateway";
    public const string Migrations = "migrations";
    public const string JiraSimulator = "jira-simulator";
    public const string AdminKey = "admin-key";
}

/// <summary>Names of the activity sources and meters the services emit, registered in one place.</summary>
public static class TelemetryNames
{
    public const string Messaging = "JiraExport.Messaging";
    public const string Exports = "JiraExport.Exports";
    public const string Identity = "JiraExport.Identity";
    public const string Features = "JiraExport.Features";
    public const string Caching = "JiraExport.Caching";
    public const string JiraWebhooks = "JiraExport.JiraWebhooks";

    /// <summary>Gauges of the platform's state (queue depths, outbox backlog, sync lag) that the Worker reads periodically.</summary>
    public const string Operations = "JiraExport.Operations";

    /// <summary>Where the reads a standby may serve were answered (standby or primary, and why).</summary>
    public const string Database = "JiraExport.Database";

    public static readonly string[] Meters = [Messaging, Exports, Identity, Features, Caching, JiraWebhooks, Operations, Database];
}
