using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.SqlServer
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
