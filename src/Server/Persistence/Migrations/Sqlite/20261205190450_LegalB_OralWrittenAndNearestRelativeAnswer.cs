using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LegalB_OralWrittenAndNearestRelativeAnswer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
