using JiraExport.Api.Quotas;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;

namespace JiraExport.Api.Apis;

/// <summary>
/// What queuing, previewing or cancelling an export takes, bound as one <c>[AsParameters]</c> bundle: the store, the
/// tenant, the outbox that carries the job, the export's event log, the plan's quotas and the clock.
/// </summary>
public sealed record ExportServices(
    JiraExportDbContext Db, TenantContext Tenant, OutboxWriter Outbox, ExportEventWriter Events, TenantQuotas Quotas, TimeProvider TimeProvider);
