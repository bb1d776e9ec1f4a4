using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IssueActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "description_html",
                table: "jira_issues",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "description_text",
                table: "jira_issues",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "jira_comments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false),
                    comment_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    author_account_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    author_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    body_html = table.Column<string>(type: "text", nullable: false),
                    body_text = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_comments", x => new { x.tenant_id, x.connection_id, x.issue_id, x.comment_id });
                    table.ForeignKey(
                        name: "FK_jira_comments_jira_issues_tenant_id_connection_id_issue_id",
                        columns: x => new { x.tenant_id, x.connection_id, x.issue_id },
                        principalTable: "jira_issues",
                        principalColumns: new[] { "tenant_id", "connection_id", "issue_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jira_issue_links",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false),
                    link_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    link_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    relation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    other_issue_id = table.Column<long>(type: "bigint", nullable: false),
                    other_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_issue_links", x => new { x.tenant_id, x.connection_id, x.issue_id, x.link_id });
                    table.ForeignKey(
                        name: "FK_jira_issue_links_jira_issues_tenant_id_connection_id_issue_~",
                        columns: x => new { x.tenant_id, x.connection_id, x.issue_id },
                        principalTable: "jira_issues",
                        principalColumns: new[] { "tenant_id", "connection_id", "issue_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jira_sprints",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sprint_id = table.Column<long>(type: "bigint", nullable: false),
                    board_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    start_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    complete_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    goal = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_sprints", x => new { x.tenant_id, x.connection_id, x.sprint_id });
                    table.ForeignKey(
                        name: "FK_jira_sprints_jira_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "jira_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jira_worklogs",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false),
                    worklog_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    author_account_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    author_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    started = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    time_spent_seconds = table.Column<int>(type: "integer", nullable: false),
                    comment_text = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_worklogs", x => new { x.tenant_id, x.connection_id, x.issue_id, x.worklog_id });
                    table.ForeignKey(
                        name: "FK_jira_worklogs_jira_issues_tenant_id_connection_id_issue_id",
                        columns: x => new { x.tenant_id, x.connection_id, x.issue_id },
                        principalTable: "jira_issues",
                        principalColumns: new[] { "tenant_id", "connection_id", "issue_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jira_sprint_issues",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sprint_id = table.Column<long>(type: "bigint", nullable: false),
                    issue_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jira_sprint_issues", x => new { x.tenant_id, x.connection_id, x.sprint_id, x.issue_id });
                    table.ForeignKey(
                        name: "FK_jira_sprint_issues_jira_issues_tenant_id_connection_id_issu~",
                        columns: x => new { x.tenant_id, x.connection_id, x.issue_id },
                        principalTable: "jira_issues",
                        principalColumns: new[] { "tenant_id", "connection_id", "issue_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_jira_sprint_issues_jira_sprints_tenant_id_connection_id_spr~",
                        columns: x => new { x.tenant_id, x.connection_id, x.sprint_id },
                        principalTable: "jira_sprints",
                        principalColumns: new[] { "tenant_id", "connection_id", "sprint_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jira_sprint_issues_tenant_id_connection_id_issue_id",
                table: "jira_sprint_issues",
                columns: new[] { "tenant_id", "connection_id", "issue_id" });

            migrationBuilder.CreateIndex(
                name: "IX_jira_sprints_connection_id",
                table: "jira_sprints",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "IX_jira_worklogs_tenant_id_connection_id_started",
                table: "jira_worklogs",
                columns: new[] { "tenant_id", "connection_id", "started" });

            foreach (var table in new[] { "jira_comments", "jira_worklogs", "jira_sprints", "jira_sprint_issues", "jira_issue_links" })
            {
                migrationBuilder.EnableTenantIsolation(table);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "jira_comments");

            migrationBuilder.DropTable(
                name: "jira_issue_links");

            migrationBuilder.DropTable(
                name: "jira_sprint_issues");

            migrationBuilder.DropTable(
                name: "jira_worklogs");

            migrationBuilder.DropTable(
                name: "jira_sprints");

            migrationBuilder.DropColumn(
                name: "description_html",
                table: "jira_issues");

            migrationBuilder.DropColumn(
                name: "description_text",
                table: "jira_issues");
        }
    }
}
