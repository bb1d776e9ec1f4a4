using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ExportSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "exports",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "live");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sync_watermark",
                table: "exports",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "source",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "sync_watermark",
                table: "exports");
        }
    }
}
