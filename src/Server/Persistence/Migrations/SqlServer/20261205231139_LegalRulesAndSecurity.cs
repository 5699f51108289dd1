using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LegalRulesAndSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords");

            migrationBuilder.AddColumn<DateTime>(
                name: "AuthorityLapsedTime",
                table: "RightsDuties",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OralGivenTime",
                table: "RightsDuties",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WrittenGivenTime",
                table: "RightsDuties",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NearestRelativeCopyAskedTime",
                table: "Patients",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ObjectsToNearestRelativeCopy",
                table: "Patients",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "LapsedTime",
                table: "LegalStatusEpisodes",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PeriodStartTime",
                table: "LegalStatusEpisodes",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Caller",
                table: "IdempotencyRecords",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords",
                columns: new[] { "Caller", "Method", "RequestId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "AuthorityLapsedTime",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "OralGivenTime",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "WrittenGivenTime",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "NearestRelativeCopyAskedTime",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "ObjectsToNearestRelativeCopy",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "LapsedTime",
                table: "LegalStatusEpisodes");

            migrationBuilder.DropColumn(
                name: "PeriodStartTime",
                table: "LegalStatusEpisodes");

            migrationBuilder.DropColumn(
                name: "Caller",
                table: "IdempotencyRecords");

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords",
                columns: new[] { "Method", "RequestId" });
        }
    }
}
