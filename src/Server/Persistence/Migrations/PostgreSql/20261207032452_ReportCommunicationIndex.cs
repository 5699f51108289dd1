using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReportCommunicationIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ExplanationAttempts_Communication",
                table: "ExplanationAttempts",
                columns: new[] { "PatientId", "DutyId", "UnmetCommunicationNeeds" },
                filter: "\"CommunicationNeedsJson\" IS NOT NULL AND \"State\" = 'Recorded'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ExplanationAttempts_Communication",
                table: "ExplanationAttempts");
        }
    }
}
