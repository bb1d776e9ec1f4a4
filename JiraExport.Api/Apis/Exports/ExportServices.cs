using JiraExport.Api.Quotas;
using JiraExport.Core.Messaging;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.Extensions.Validation;

namespace JiraExport.Api.Apis;

/// <summary>
/// What queuing, previewing or cancelling an export takes, bound as one <c>[AsParameters]</c> bundle: the store, the
/// tenant, the outbox that carries the job, the export's event log, the plan's quotas and the clock.
/// </summary>
/// <remarks>Services, not input: AddValidation() must not walk them (it would enumerate the DbContext's sets).</remarks>
#pragma warning disable ASP0029 // SkipValidation is marked experimental in .NET 10; it is the documented way to exclude a type.
[SkipValidation]
#pragma warning restore ASP0029
public sealed record ExportServices(
    JiraExportDbContext Db, TenantContext Tenant, OutboxWriter Outbox, ExportEventWriter Events, TenantQuotas Quotas, TimeProvider TimeProvider);
