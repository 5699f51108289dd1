using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OralGivenTime",
                table: "RightsDuties",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WrittenGivenTime",
                table: "RightsDuties",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NearestRelativeCopyAskedTime",
                table: "Patients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ObjectsToNearestRelativeCopy",
                table: "Patients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "LapsedTime",
                table: "LegalStatusEpisodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PeriodStartTime",
                table: "LegalStatusEpisodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Caller",
                table: "IdempotencyRecords",
                type: "TEXT",
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
