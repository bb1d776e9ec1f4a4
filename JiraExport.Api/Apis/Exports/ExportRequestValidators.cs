using JiraExport.Api.Contracts;
using JiraExport.Api.Validation;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// What <c>POST /exports</c> checks in the tenant's store: the connection, the template and version (named, or the
/// tenant's default), and a signing certificate when a signature is asked for. The handler queues with <see cref="Template"/>.
/// </summary>
internal sealed class ExportRequestValidator(JiraExportDbContext db, TimeProvider clock) : IRequestValidator<CreateExportRequest>
{
    /// <summary>The template pinned for the export, once the request is valid.</summary>
    public ExportTemplateChoice? Template { get; private set; }

    public async Task<RequestErrors> ValidateAsync(CreateExportRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        await ExportFinishingRequest.CheckSigningAsync(request.Options, db, clock.GetUtcNow(), errors, cancellationToken);
        await ExportConnections.CheckAsync(db, request.ConnectionId, errors, cancellationToken);
        var templateName = request.Template
            ?? await db.Tenants.AsNoTracking().Select(t => t.DefaultTemplate).SingleOrDefaultAsync(cancellationToken)
            ?? ExportValidation.DefaultTemplate;
        Template = await ExportTemplates.ResolveAsync(db, templateName, request.TemplateVersion, errors, cancellationToken);
        return errors;
    }
}

/// <summary>What <c>POST /exports/bulk</c> checks in the tenant's store: the connection.</summary>
internal sealed class BulkExportRequestValidator(JiraExportDbContext db) : IRequestValidator<CreateBulkExportRequest>
{
    public async Task<RequestErrors> ValidateAsync(CreateBulkExportRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        await ExportConnections.CheckAsync(db, request.ConnectionId, errors, cancellationToken);
        return errors;
    }
}

internal static class ExportConnections
{
    /// <summary>An export reads one of the tenant's own connections (row-level security hides the others).</summary>
    public static async Task CheckAsync(JiraExportDbContext db, Guid? connectionId, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (connectionId is { } id && !await db.JiraConnections.AnyAsync(c => c.Id == id, cancellationToken))
        {
            errors["connectionId"] = [$"No Jira connection {id} exists in this tenant; create one with POST /api/v1/connections."];
        }
    }
}
