using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JiraExport.Core.Tenancy;

/// <summary>
/// Binds to their tenant the secrets stored before secrets were bound (they carry no marker): each is read with its
/// purpose alone and protected again for the tenant of its row. It runs with the migrations, as the database owner,
/// before any service starts, so the services never need to accept an unbound secret (which any tenant could decrypt
/// if someone moved it into their row). A row changed meanwhile is left for the next run.
/// </summary>
public sealed partial class TenantSecretRebinding(IDataProtectionProvider dataProtection, ILogger<TenantSecretRebinding> logger)
{
    // Where each secret is read and how it is written back; a PDF password lives inside the export's options (jsonb).
    private static readonly (string Table, string Key, string Value, string Assign, string Purpose)[] Columns =
    [
        ("jira_connections", "id", "encrypted_credential", "encrypted_credential = @rebound", TenantSecretPurposes.JiraCredentials),
        ("tenant_sso_settings", "tenant_id", "oidc_client_secret_protected", "oidc_client_secret_protected = @rebound", TenantSecretPurposes.OidcClientSecret),
        ("tenant_pdf_settings", "tenant_id", "signing_certificate_protected", "signing_certificate_protected = @rebound", TenantSecretPurposes.SigningCertificate),
        ("exports", "id", "options #>> '{encrypt,userPassword}'",
            "options = jsonb_set(options, '{encrypt,userPassword}', to_jsonb(@rebound::text))", TenantSecretPurposes.PdfPasswords),
        ("exports", "id", "options #>> '{encrypt,ownerPassword}'",
            "options = jsonb_set(options, '{encrypt,ownerPassword}', to_jsonb(@rebound::text))", TenantSecretPurposes.PdfPasswords),
    ];

    public async Task RebindAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(ownerConnectionString);
        foreach (var (table, key, value, assign, purpose) in Columns)
        {
            var protector = dataProtection.CreateProtector(purpose);
            var unbound = new List<(Guid Key, Guid TenantId, string Stored)>();
            await using (var read = database.CreateCommand(
                             $"SELECT {key}, tenant_id, {value} FROM {table} WHERE {value} IS NOT NULL AND {value} NOT LIKE 't1.%'"))
            await using (var rows = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await rows.ReadAsync(cancellationToken))
                {
                    unbound.Add((rows.GetGuid(0), rows.GetGuid(1), rows.GetString(2)));
                }
            }

            foreach (var (rowKey, tenantId, stored) in unbound)
            {
                await using var write = database.CreateCommand($"UPDATE {table} SET {assign} WHERE {key} = @key AND {value} = @stored");
                write.Parameters.AddWithValue("rebound", protector.ProtectFor(tenantId, protector.Unprotect(stored)));
                write.Parameters.AddWithValue("key", rowKey);
                write.Parameters.AddWithValue("stored", stored);
                await write.ExecuteNonQueryAsync(cancellationToken);
            }

            if (unbound.Count > 0)
            {
                LogRebound(unbound.Count, table, value);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bound {Count} secrets of {Table} ({Column}) to their tenant")]
    private partial void LogRebound(int count, string table, string column);
}
