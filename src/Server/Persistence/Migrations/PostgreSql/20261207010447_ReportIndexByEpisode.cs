using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReportIndexByEpisode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RightsDuties_EpisodeId",
                table: "RightsDuties");

            migrationBuilder.DropIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties",
                columns: new[] { "EpisodeId", "Id", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime", "AttemptCount", "NextAttemptTime", "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_EpisodeId",
                table: "RightsDuties",
                column: "EpisodeId");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties",
                columns: new[] { "Id", "EpisodeId", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime", "AttemptCount", "NextAttemptTime", "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime" });
        }
    }
}
