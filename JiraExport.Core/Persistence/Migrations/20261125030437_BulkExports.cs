using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BulkExports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "bulk",
                table: "exports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "bulk_plan",
                table: "exports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ordinal",
                table: "exports",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "packaging_queued_at",
                table: "exports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "parent_export_id",
                table: "exports",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "part_count",
                table: "exports",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_exports_parent_export_id_ordinal",
                table: "exports",
                columns: new[] { "parent_export_id", "ordinal" },
                unique: true,
                filter: "parent_export_id IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "FK_exports_exports_parent_export_id",
                table: "exports",
                column: "parent_export_id",
                principalTable: "exports",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_exports_exports_parent_export_id",
                table: "exports");

            migrationBuilder.DropIndex(
                name: "IX_exports_parent_export_id_ordinal",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "bulk",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "bulk_plan",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "ordinal",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "packaging_queued_at",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "parent_export_id",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "part_count",
                table: "exports");
        }
    }
}
