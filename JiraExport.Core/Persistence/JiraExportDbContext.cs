using System.Text.RegularExpressions;
using JiraExport.Core.Domain;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Core.Persistence;

/// <summary>
/// The system of record. Row-level security in PostgreSQL is the wall between tenants; the query
/// filters here are a second layer, so a forgotten <c>Where</c> cannot show another tenant's rows.
/// </summary>
public sealed partial class JiraExportDbContext : IdentityUserContext<User, Guid>, IDataProtectionKeyContext
{
    /// <summary>The scope's tenant, handed over when the context is rented (<see cref="ActFor"/>); none, nothing is visible.</summary>
    private TenantContext? _tenantContext;

    /// <summary>Pooled (<see cref="PersistenceExtensions.AddTenantDbContext"/>): made once, rented by scope after scope.</summary>
    public JiraExportDbContext(DbContextOptions<JiraExportDbContext> options)
        : base(options)
    {
        // The tenant reaches PostgreSQL once per transaction. EF would save a single change without one, and
        // row-level security would then refuse it, so every save gets its transaction.
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
    }

    public Guid? TenantId => _tenantContext?.TenantId;

    /// <summary>Binds the rented context to its scope's tenant: read when a transaction starts and in every query filter.</summary>
    internal JiraExportDbContext ActFor(TenantContext tenant)
    {
        _tenantContext = tenant;
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        return this;
    }

    /// <summary>Returned to the pool: it forgets its tenant and any work left for a commit that never came.</summary>
    public override void Dispose()
    {
        Forget();
        base.Dispose();
    }

    /// <inheritdoc cref="Dispose"/>
    public override ValueTask DisposeAsync()
    {
        Forget();
        return base.DisposeAsync();
    }

    private void Forget()
    {
        _tenantContext = null;
        ForgetAfterCommit();
    }

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<JiraConnection> JiraConnections => Set<JiraConnection>();
    public DbSet<Export> Exports => Set<Export>();
    public DbSet<ExportFile> ExportFiles => Set<ExportFile>();
    public DbSet<ExportFileChunk> ExportFileChunks => Set<ExportFileChunk>();
    public DbSet<DomainEvent> DomainEvents => Set<DomainEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<TenantMembership> TenantMemberships => Set<TenantMembership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();
    public DbSet<TenantUsageDay> TenantUsageDays => Set<TenantUsageDay>();
    public DbSet<PrincipalUsageDay> PrincipalUsageDays => Set<PrincipalUsageDay>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<TenantFeatureOverride> TenantFeatureOverrides => Set<TenantFeatureOverride>();
    public DbSet<FeatureAssignment> FeatureAssignments => Set<FeatureAssignment>();
    public DbSet<TenantSsoSettings> TenantSsoSettings => Set<TenantSsoSettings>();
    public DbSet<SyncedIssue> SyncedIssues => Set<SyncedIssue>();
    public DbSet<IssueStatusTransition> IssueStatusTransitions => Set<IssueStatusTransition>();
    public DbSet<SyncJob> SyncJobs => Set<SyncJob>();
    public DbSet<SyncSchedule> SyncSchedules => Set<SyncSchedule>();
    public DbSet<IssueComment> IssueComments => Set<IssueComment>();
    public DbSet<IssueWorklog> IssueWorklogs => Set<IssueWorklog>();
    public DbSet<SyncedSprint> SyncedSprints => Set<SyncedSprint>();
    public DbSet<SprintIssue> SprintIssues => Set<SprintIssue>();
    public DbSet<IssueLink> IssueLinks => Set<IssueLink>();
    public DbSet<JiraWebhookDelivery> JiraWebhookDeliveries => Set<JiraWebhookDelivery>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ReportTemplate> ReportTemplates => Set<ReportTemplate>();
    public DbSet<ReportTemplateVersion> ReportTemplateVersions => Set<ReportTemplateVersion>();
    public DbSet<TenantBranding> TenantBrandings => Set<TenantBranding>();
    public DbSet<TenantPdfSettings> TenantPdfSettings => Set<TenantPdfSettings>();
    public DbSet<TenantEventRouting> TenantEventRoutings => Set<TenantEventRouting>();
    public DbSet<JiraIssueTombstone> JiraIssueTombstones => Set<JiraIssueTombstone>();
    public DbSet<SyncedStatus> SyncedStatuses => Set<SyncedStatus>();
    public DbSet<MetricDefinition> MetricDefinitions => Set<MetricDefinition>();
    public DbSet<MetricDefinitionVersion> MetricDefinitionVersions => Set<MetricDefinitionVersion>();
    public DbSet<TenantWorkCalendar> TenantWorkCalendars => Set<TenantWorkCalendar>();
    public DbSet<ReportSchedule> ReportSchedules => Set<ReportSchedule>();
    public DbSet<ReportScheduleRun> ReportScheduleRuns => Set<ReportScheduleRun>();
    public DbSet<Dashboard> Dashboards => Set<Dashboard>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<User>().ToTable("users");
        modelBuilder.Entity<User>().Property(u => u.ContactEmail).HasMaxLength(256);
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");

        modelBuilder.ApplyConfigurationsFromAssembly(typeof(JiraExportDbContext).Assembly);

        modelBuilder.Entity<Tenant>().HasQueryFilter(t => t.Id == TenantId);
        modelBuilder.Entity<ApiKey>().HasQueryFilter(k => k.TenantId == TenantId);
        modelBuilder.Entity<JiraConnection>().HasQueryFilter(c => c.TenantId == TenantId);
        modelBuilder.Entity<Export>().HasQueryFilter(e => e.TenantId == TenantId);
        modelBuilder.Entity<ExportFile>().HasQueryFilter(f => f.TenantId == TenantId);
        modelBuilder.Entity<ExportFileChunk>().HasQueryFilter(c => c.TenantId == TenantId);
        modelBuilder.Entity<DomainEvent>().HasQueryFilter(e => e.TenantId == TenantId);
        modelBuilder.Entity<TenantMembership>().HasQueryFilter(m => m.TenantId == TenantId);
        modelBuilder.Entity<Invitation>().HasQueryFilter(i => i.TenantId == TenantId);
        modelBuilder.Entity<UserSession>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<RefreshToken>().HasQueryFilter(t => t.TenantId == TenantId);
        modelBuilder.Entity<SecurityEvent>().HasQueryFilter(e => e.TenantId == TenantId);
        modelBuilder.Entity<TenantUsageDay>().HasQueryFilter(u => u.TenantId == TenantId);
        modelBuilder.Entity<PrincipalUsageDay>().HasQueryFilter(u => u.TenantId == TenantId);
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(e => e.TenantId == TenantId);
        modelBuilder.Entity<AuditChainHead>().HasQueryFilter(h => h.TenantId == TenantId);
        modelBuilder.Entity<TenantSsoSettings>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<SyncedIssue>().HasQueryFilter(i => i.TenantId == TenantId);
        modelBuilder.Entity<IssueStatusTransition>().HasQueryFilter(t => t.TenantId == TenantId);
        modelBuilder.Entity<ReportTemplate>().HasQueryFilter(t => t.TenantId == TenantId);
        modelBuilder.Entity<ReportTemplateVersion>().HasQueryFilter(v => v.TenantId == TenantId);
        modelBuilder.Entity<TenantBranding>().HasQueryFilter(b => b.TenantId == TenantId);
        modelBuilder.Entity<SyncJob>().HasQueryFilter(j => j.TenantId == TenantId);
        modelBuilder.Entity<SyncSchedule>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<IssueComment>().HasQueryFilter(c => c.TenantId == TenantId);
        modelBuilder.Entity<IssueWorklog>().HasQueryFilter(w => w.TenantId == TenantId);
        modelBuilder.Entity<SyncedSprint>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<SprintIssue>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<IssueLink>().HasQueryFilter(l => l.TenantId == TenantId);
        modelBuilder.Entity<JiraWebhookDelivery>().HasQueryFilter(d => d.TenantId == TenantId);
        modelBuilder.Entity<WebhookSubscription>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<WebhookDelivery>().HasQueryFilter(d => d.TenantId == TenantId);
        modelBuilder.Entity<TenantPdfSettings>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<TenantEventRouting>().HasQueryFilter(r => r.TenantId == TenantId);
        modelBuilder.Entity<JiraIssueTombstone>().HasQueryFilter(t => t.TenantId == TenantId);
        modelBuilder.Entity<SyncedStatus>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<MetricDefinition>().HasQueryFilter(d => d.TenantId == TenantId);
        modelBuilder.Entity<MetricDefinitionVersion>().HasQueryFilter(v => v.TenantId == TenantId);
        modelBuilder.Entity<TenantWorkCalendar>().HasQueryFilter(c => c.TenantId == TenantId);
        modelBuilder.Entity<ReportSchedule>().HasQueryFilter(s => s.TenantId == TenantId);
        modelBuilder.Entity<ReportScheduleRun>().HasQueryFilter(r => r.TenantId == TenantId);
        modelBuilder.Entity<Dashboard>().HasQueryFilter(d => d.TenantId == TenantId);
        modelBuilder.Entity<IdempotentRequest>().HasQueryFilter(r => r.TenantId == TenantId);
        modelBuilder.Entity<TenantFeatureOverride>().HasQueryFilter(o => o.TenantId == TenantId);
        modelBuilder.Entity<FeatureAssignment>().HasQueryFilter(a => a.TenantId == TenantId);

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        UseSnakeCaseColumns(modelBuilder);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RaiseVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RaiseVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>A changed resource clients edit gets its next version, whichever code changed it.</summary>
    private void RaiseVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersionedResource>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }
    }

    private static void UseSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name) => UpperCaseBoundary().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperCaseBoundary();
}
