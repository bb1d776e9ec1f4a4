using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ExportFieldsAndOptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "fields",
                table: "exports",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "options",
                table: "exports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "template_version",
                table: "exports",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "fields",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "options",
                table: "exports");

            migrationBuilder.DropColumn(
                name: "template_version",
                table: "exports");
        }
    }
}
