using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IdentifiableAccess",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "MayActForNamedUser",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Sites",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "TrustWide",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            // Existing keys keep what they could do before scopes: every key was trust-wide, and EPR keys sent the
            // named-user header (docs/security.md "Existing keys"). New keys say both explicitly.
            migrationBuilder.Sql("UPDATE \"ApiKeys\" SET \"MayActForNamedUser\" = 1 WHERE \"Role\" = 'epr-integration'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IdentifiableAccess",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "MayActForNamedUser",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "Sites",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "TrustWide",
                table: "ApiKeys");
        }
    }
}
