using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LegalA_LapsedAuthority : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AuthorityLapsedTime",
                table: "RightsDuties",
                type: "TEXT",
                nullable: true);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuthorityLapsedTime",
                table: "RightsDuties");

            migrationBuilder.DropColumn(
                name: "LapsedTime",
                table: "LegalStatusEpisodes");

            migrationBuilder.DropColumn(
                name: "PeriodStartTime",
                table: "LegalStatusEpisodes");
        }
    }
}
