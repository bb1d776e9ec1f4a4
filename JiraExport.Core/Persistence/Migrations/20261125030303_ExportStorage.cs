using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ExportStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "export_retention_days",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                table: "exports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "chunk_size",
                table: "export_files",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "sha256",
                table: "export_files",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "size_bytes",
                table: "export_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "export_file_chunks",
                columns: table => new
                {
                    export_id = table.Column<Guid>(type: "uuid", nullable: false),
                    chunk_index = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_file_chunks", x => new { x.export_id, x.chunk_index });
                    table.ForeignKey(
                        name: "FK_export_file_chunks_export_files_export_id",
                        column: x => x.export_id,
                        principalTable: "export_files",
                        principalColumn: "export_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_exports_expires_at",
                table: "exports",
                column: "expires_at",
                filter: "status = 'Succeeded'");

            migrationBuilder.CreateIndex(
                name: "IX_export_files_tenant_id",
                table: "export_files",
                column: "tenant_id");

            // Hand-written SQL, kept in ExportStorageSql so it can be carried into a regenerated migration.
            migrationBuilder.EnableTenantIsolation("export_file_chunks");
            migrationBuilder.Sql(ExportStorageSql.CopyFilesIntoChunks);
            migrationBuilder.DropColumn(
                name: "content",
                table: "export_files");
            migrationBuilder.Sql(ExportStorageSql.ExpiresAtForExistingExports);
            migrationBuilder.Sql(ExportStorageSql.CreateExpiredExportsFunction);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ExportStorageSql.DropExpiredExportsFunction);
            migrationBuilder.AddColumn<byte[]>(
                name: "content",
                table: "export_files",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);
            migrationBuilder.Sql(ExportStorageSql.CopyChunksIntoFiles);

            migrationBuilder.DropTable(
                name: "export_file_chunks");

            migrationBuilder.DropIndex(
                name: "IX_exports_expires_at",
                table: "exports");

            migrationBuilder.DropIndex(
                name: "IX_export_files_tenant_id",
                table: "export_files");

            migrationBuilder.DropColumn(
                name: "export_retention_days",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "chunk_size",
                table: "export_files");

            migrationBuilder.DropColumn(
                name: "sha256",
                table: "export_files");

            migrationBuilder.DropColumn(
                name: "size_bytes",
                table: "export_files");
        }
    }
}
