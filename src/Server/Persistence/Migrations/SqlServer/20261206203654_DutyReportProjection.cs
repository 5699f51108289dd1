using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DutyReportProjection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties");

            migrationBuilder.DropIndex(
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts");

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstUnderstoodTime",
                table: "RightsDuties",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LatestInformationTime",
                table: "RightsDuties",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RenewalAttempted",
                table: "RightsDuties",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "TribunalAttempted",
                table: "RightsDuties",
                type: "bit",
                nullable: false,
                defaultValue: false);

            // Backfill the report projection (Reporting/DutyReportFacts) from each duty's standing attempts, before the
            // report index is built over it.
            migrationBuilder.Sql("""
                UPDATE d SET
                    [RenewalAttempted] = CASE WHEN EXISTS (SELECT 1 FROM [ExplanationAttempts] a WHERE a.[DutyId] = d.[Id] AND a.[State] = 'Recorded' AND a.[Trigger] = 'Renewal') THEN 1 ELSE 0 END,
                    [TribunalAttempted] = CASE WHEN EXISTS (SELECT 1 FROM [ExplanationAttempts] a WHERE a.[DutyId] = d.[Id] AND a.[State] = 'Recorded' AND a.[Trigger] IN ('TribunalWindow', 'AutomaticReference')) THEN 1 ELSE 0 END,
                    [LatestInformationTime] = (SELECT MAX(a.[AttemptTime]) FROM [ExplanationAttempts] a WHERE a.[DutyId] = d.[Id] AND a.[State] = 'Recorded'
                        AND a.[Outcome] IN ('Understood', 'PartlyUnderstood', 'NotUnderstood')),
                    [FirstUnderstoodTime] = (SELECT MIN(a.[AttemptTime]) FROM [ExplanationAttempts] a WHERE a.[DutyId] = d.[Id] AND a.[State] = 'Recorded' AND a.[Outcome] = 'Understood'
                        AND EXISTS (SELECT 1 FROM [ExplanationAttempts] o WHERE o.[DutyId] = a.[DutyId] AND o.[State] = 'Recorded' AND o.[OralGiven] = 1 AND o.[AttemptTime] <= a.[AttemptTime])
                        AND EXISTS (SELECT 1 FROM [ExplanationAttempts] w WHERE w.[DutyId] = a.[DutyId] AND w.[State] = 'Recorded' AND w.[WrittenGiven] = 1 AND w.[AttemptTime] <= a.[AttemptTime]))
                FROM [RightsDuties] d
                WHERE d.[AttemptCount] > 0;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties",
                columns: new[] { "Id", "EpisodeId", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime", "AttemptCount", "NextAttemptTime", "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime" });

            migrationBuilder.CreateIndex(
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts",
                columns: new[] { "ImhaInformationGiven", "State", "PatientId", "AttemptTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties");

            migrationBuilder.DropIndex(
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts");

            migrationBuilder.DropColumn(
                name: "FirstUnderstoodTime",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "LatestInformationTime",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "RenewalAttempted",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "TribunalAttempted",
                table: "RightsDuties");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties",
                columns: new[] { "Id", "EpisodeId", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime", "UnderstoodTime", "AttemptCount", "NextAttemptTime" });

            migrationBuilder.CreateIndex(
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts",
                columns: new[] { "DutyId", "State", "Outcome", "Trigger", "ImhaInformationGiven", "AttemptTime", "PatientId" });
        }
    }
}
