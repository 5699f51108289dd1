using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties",
                columns: new[] { "Id", "EpisodeId", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime", "UnderstoodTime", "AttemptCount", "NextAttemptTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_Report",
                table: "Patients",
                columns: new[] { "Id", "EthnicCategory", "Sex", "DateOfBirth" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalStatusEpisodes_Report",
                table: "LegalStatusEpisodes",
                columns: new[] { "StartTime", "CreateTime", "EndReason", "UpdateTime", "Provision", "Hospital", "Ward", "RenewalCount", "LastRenewalTime", "PatientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts",
                columns: new[] { "DutyId", "State", "Outcome", "Trigger", "ImhaInformationGiven", "AttemptTime", "PatientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties");

            migrationBuilder.DropIndex(
                name: "IX_Patients_Report",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_LegalStatusEpisodes_Report",
                table: "LegalStatusEpisodes");

            migrationBuilder.DropIndex(
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts");
        }
    }
}
