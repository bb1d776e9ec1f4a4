using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SyncDeletionHold : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long[]>(
                name: "held_deletions",
                table: "sync_jobs",
                type: "bigint[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "left_scope",
                table: "sync_jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "held_deletions",
                table: "sync_jobs");

            migrationBuilder.DropColumn(
                name: "left_scope",
                table: "sync_jobs");
        }
    }
}
