using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.SqlServer
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
                type: "datetime2",
                nullable: true);

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
