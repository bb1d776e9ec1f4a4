using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JiraExport.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReportSchedulePause : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "paused",
                table: "report_schedules",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The scheduler lists only schedules that run by themselves.
            migrationBuilder.Sql(DueFunction("AND NOT s.paused"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DueFunction(""));
            migrationBuilder.DropColumn(
                name: "paused",
                table: "report_schedules");
        }

        /// <summary><c>report_schedules_due</c> as the ScheduledReports migration made it, with <paramref name="condition"/> added.</summary>
        private static string DueFunction(string condition) => $"""
            CREATE OR REPLACE FUNCTION report_schedules_due(p_now timestamptz, p_limit int)
            RETURNS TABLE (tenant_id uuid, schedule_id uuid)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
                SELECT s.tenant_id, s.id FROM report_schedules s JOIN tenants t ON t.id = s.tenant_id
                WHERE t.status = 'Active' AND s.next_run_at <= p_now {condition}
                ORDER BY s.next_run_at
                LIMIT p_limit
            $$;
            """;
    }
}
