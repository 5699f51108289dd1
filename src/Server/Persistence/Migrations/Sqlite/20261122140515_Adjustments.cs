using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Adjustments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdjustmentRecords",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    SharingState = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    ReviewState = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    IdentificationSource = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IdentificationNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ReviewDueTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Identified_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Identified_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Identified_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Identified_Time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastReviewed_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LastReviewed_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LastReviewed_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    LastReviewed_Time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NationalSync_LastAttemptTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NationalSync_LastOutcomeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    NationalSync_LastOutcomeDiagnostics = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    NationalSync_LastRequestId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    NationalSync_LastSuccessTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NationalSync_NationalFlagId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Removal_ReasonCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Removal_BestInterest_DecisionMaker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_BestInterest_Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Removal_By_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_By_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_By_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Removal_By_Time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SharingDecision_ConsentProxyRoleCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    SharingDecision_Decision = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    SharingDecision_RepresentativeName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SharingDecision_RepresentativeRelationship = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SharingDecision_BestInterest_DecisionMaker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SharingDecision_BestInterest_Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SharingDecision_Recorded_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SharingDecision_Recorded_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SharingDecision_Recorded_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    SharingDecision_Recorded_Time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ThresholdConfirmed_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ThresholdConfirmed_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ThresholdConfirmed_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ThresholdConfirmed_Time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ThresholdConfirmedByNhsUser_OdsOrganizationCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    ThresholdConfirmedByNhsUser_SdsJobRoleCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    ThresholdConfirmedByNhsUser_SdsRoleProfileId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    ThresholdConfirmedByNhsUser_SdsUserId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdjustmentRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdjustmentRecords_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AdjustmentItems",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    SnomedCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    Display = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    BespokeText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ImpairmentCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    OtherText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ConditionCategoryCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CodeTableVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FreeText = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SupersedesId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: true),
                    SupersededById = table.Column<string>(type: "TEXT", maxLength: 63, nullable: true),
                    NationalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Recorded_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Recorded_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Recorded_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Recorded_Time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RecordedByNhsUser_OdsOrganizationCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    RecordedByNhsUser_SdsJobRoleCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    RecordedByNhsUser_SdsRoleProfileId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    RecordedByNhsUser_SdsUserId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    Removal_Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Removal_ReasonCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Removal_BestInterest_DecisionMaker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_BestInterest_Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Removal_By_DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_By_Principal = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Removal_By_Role = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Removal_By_Time = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdjustmentItems", x => new { x.PatientId, x.Id });
                    table.ForeignKey(
                        name: "FK_AdjustmentItems_AdjustmentRecords_RecordId",
                        column: x => x.RecordId,
                        principalTable: "AdjustmentRecords",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdjustmentItems_RecordId_State_CreateTime",
                table: "AdjustmentItems",
                columns: new[] { "RecordId", "State", "CreateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_AdjustmentRecords_PatientId",
                table: "AdjustmentRecords",
                column: "PatientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AdjustmentRecords_State_ReviewDueTime",
                table: "AdjustmentRecords",
                columns: new[] { "State", "ReviewDueTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdjustmentItems");

            migrationBuilder.DropTable(
                name: "AdjustmentRecords");
        }
    }
}
