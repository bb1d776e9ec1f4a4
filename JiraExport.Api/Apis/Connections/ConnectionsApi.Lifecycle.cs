using JiraExport.Api.Contracts;
using JiraExport.Api.Preconditions;
using JiraExport.Api.Quotas;
using JiraExport.Core.Domain;
using JiraExport.Core.Jira;
using JiraExport.Core.Persistence;
using JiraExport.Core.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

public static partial class ConnectionsApi
{
    public static async Task<Results<Created<ConnectionResponse>, ProblemHttpResult>> CreateConnection(
        CreateConnectionRequest request, JiraExportDbContext db, TenantContext tenant, JiraCredentialProtector protector,
        TenantQuotas quotas, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await quotas.CheckNewConnectionAsync(cancellationToken) is { } overQuota)
        {
            return overQuota;
        }

        var site = ConnectionValidation.ReadSite(request);
        var connection = new JiraConnection
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.TenantId!.Value,
            Name = request.Name!.Trim(),
            BaseUrl = site.BaseUrl,
            FailoverBaseUrls = site.FailoverBaseUrls,
            MaxConcurrentRequests = request.Limits?.MaxConcurrentRequests,
            RequestsPerSecond = request.Limits?.RequestsPerSecond,
            Deployment = site.Deployment,
            AuthType = site.Credentials is BearerJiraCredentials ? JiraAuthType.Bearer : JiraAuthType.Basic,
            EncryptedCredential = protector.Protect(tenant.TenantId!.Value, site.Credentials),
            CreatedAt = timeProvider.GetUtcNow(),
        };
        db.JiraConnections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/connections/{connection.Id}", ToResponse(connection));
    }

    public static async Task<Results<Ok<ListPage<ConnectionResponse>>, ValidationProblem>> ListConnectionsV2(
        int? limit, string? cursor, HttpRequest request, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, after) = ListPages.Read(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (connections, next) = await db.JiraConnections.AsNoTracking().NewestFirstAsync(c => c.CreatedAt, c => c.Id, pageSize, after, cancellationToken);
        return TypedResults.Ok(ListPages.Create(request, [.. connections.Select(ToResponse)], next, c => ListPages.V2($"/connections/{c.Id}")));
    }

    public static async Task<Ok<ConnectionResponse[]>> ListConnections(JiraExportDbContext db, CancellationToken cancellationToken)
    {
        var connections = await db.JiraConnections.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(connections.Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> GetConnection(
        Guid id, HttpContext http, JiraExportDbContext db, CancellationToken cancellationToken)
    {
        if (await db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } connection)
        {
            return NotFoundProblem(id);
        }

        ResourceVersions.Tag(http, connection);
        return TypedResults.Ok(ToResponse(connection));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteConnection(
        Guid id, HttpContext http, JiraExportDbContext db, JiraWebhookTargets targets, CancellationToken cancellationToken)
    {
        if (await db.JiraConnections.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } connection)
        {
            return NotFoundProblem(id);
        }

        if (await ResourceVersions.CheckIfMatchAsync(http, db, connection, cancellationToken) is { } stale)
        {
            return stale;
        }

        await db.JiraConnections.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        await db.AfterCommitAsync(token => targets.ForgetAsync(id, token), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ConnectionTestResponse>, ProblemHttpResult>> TestConnection(
        Guid id, JiraExportDbContext db, JiraSiteResolver sites, JiraClient jira, CancellationToken cancellationToken)
    {
        JiraConnection? connection;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            connection = await db.JiraConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (connection is null)
        {
            return NotFoundProblem(id);
        }

        try
        {
            var user = await jira.GetCurrentUserAsync(await sites.ResolveAsync(connection, cancellationToken), cancellationToken);
            return TypedResults.Ok(new ConnectionTestResponse(true, user.DisplayName, null));
        }
        catch (JiraException ex)
        {
            return TypedResults.Ok(new ConnectionTestResponse(false, null, ex.Message));
        }
    }

    public static async Task<Results<Ok<ConnectionHealthReport>, ProblemHttpResult>> CheckConnectionHealth(
        Guid id, ConnectionHealthChecker checker, CancellationToken cancellationToken) =>
        await checker.CheckAsync(id, cancellationToken) is { } report ? TypedResults.Ok(report) : NotFoundProblem(id);

    internal static ProblemHttpResult NotFoundProblem(Guid id) => TypedResults.Problem(
        title: "Connection not found",
        detail: $"No Jira connection {id} exists in this tenant.",
        statusCode: StatusCodes.Status404NotFound);

    internal static ConnectionResponse ToResponse(JiraConnection c) =>
        new(c.Id, c.Name, c.BaseUrl, c.FailoverBaseUrls, ConnectionValidation.DeploymentName(c.Deployment), c.AuthType.ToString().ToLowerInvariant(),
            ConnectionHealthChecker.Name(c.Health), c.HealthCheckedAt, c.CreatedAt,
            c.MaxConcurrentRequests is null && c.RequestsPerSecond is null ? null : new ConnectionLimitsRequest(c.MaxConcurrentRequests, c.RequestsPerSecond));
}
