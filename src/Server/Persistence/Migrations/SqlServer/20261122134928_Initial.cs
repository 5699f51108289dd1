using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    DisplayName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    Prefix = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Salt = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    SecretHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ExpireTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RevokeTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CreatedByPrincipal = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CreatedByRole = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    CreateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    EventTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ActorPrincipal = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ActorRole = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    ActorDisplayName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Action = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Resource = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    FromState = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    ToState = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    Trigger = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    RequestId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    DetailsJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    PreviousHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Method = table.Column<string>(type: "nvarchar(150)", maxLength: 150, nullable: false),
                    RequestId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RequestHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    CreateTime = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.Method, x.RequestId });
                });

            migrationBuilder.CreateTable(
                name: "Patients",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    LocalId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    NhsNumber = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    GivenName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    FamilyName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: true),
                    Sex = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    EthnicCategory = table.Column<string>(type: "nvarchar(2)", maxLength: 2, nullable: true),
                    PreferredLanguage = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    InterpreterNeeded = table.Column<bool>(type: "bit", nullable: false),
                    Hospital = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Ward = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    NearestRelativeStatus = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    NearestRelativeName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    NearestRelativeRelationship = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    NearestRelativeAddress = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    NearestRelativeContact = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    CreateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Patients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalStatusEpisodes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    Provision = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    SuspendedProvision = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Hospital = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Ward = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    StartTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExpiryTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RenewalCount = table.Column<int>(type: "int", nullable: false),
                    LastRenewalTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    EndTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    EndReason = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    EndNote = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    PreviousEpisodeId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    NextEpisodeId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    ParentEpisodeId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    PlannedDischargeTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    FirstMedicationTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CreateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalStatusEpisodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LegalStatusEpisodes_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RightsDuties",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    EpisodeId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    State = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    LastTrigger = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    Provision = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Hospital = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Ward = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    OpenTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DueTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    NextAttemptTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    NextReminderTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    FirstAttemptTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    UnderstoodTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ResolvedTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ResolutionNote = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    AttemptCount = table.Column<int>(type: "int", nullable: false),
                    SupersededById = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    UpdateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RightsDuties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RightsDuties_LegalStatusEpisodes_EpisodeId",
                        column: x => x.EpisodeId,
                        principalTable: "LegalStatusEpisodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RightsDuties_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ScheduledTriggers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    EpisodeId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    FireTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Label = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    FiredTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Cancelled = table.Column<bool>(type: "bit", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduledTriggers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduledTriggers_LegalStatusEpisodes_EpisodeId",
                        column: x => x.EpisodeId,
                        principalTable: "LegalStatusEpisodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ExplanationAttempts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    DutyId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: false),
                    AttemptTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExplainedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ExplainedByRole = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Provision = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    OralGiven = table.Column<bool>(type: "bit", nullable: false),
                    WrittenGiven = table.Column<bool>(type: "bit", nullable: false),
                    LeafletId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LeafletVersion = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    LeafletLanguage = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    InterpreterUsed = table.Column<bool>(type: "bit", nullable: false),
                    AccessibleFormat = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Outcome = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    CapacityNote = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    ImhaInformationGiven = table.Column<bool>(type: "bit", nullable: false),
                    NearestRelativeSharing = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    NextAttemptTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CommunicationNeedsJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    UnmetCommunicationNeeds = table.Column<int>(type: "int", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CorrectsId = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    CorrectedById = table.Column<string>(type: "nvarchar(63)", maxLength: 63, nullable: true),
                    VoidReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    VoidTime = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RecordedByPrincipal = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RecordedByRole = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    RecordedByDisplayName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    CreateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExplanationAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExplanationAttempts_RightsDuties_DutyId",
                        column: x => x.DutyId,
                        principalTable: "RightsDuties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Prefix",
                table: "ApiKeys",
                column: "Prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_EventTime",
                table: "AuditEvents",
                column: "EventTime");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_PatientId_Sequence",
                table: "AuditEvents",
                columns: new[] { "PatientId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Resource_Sequence",
                table: "AuditEvents",
                columns: new[] { "Resource", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_ExplanationAttempts_DutyId_AttemptTime",
                table: "ExplanationAttempts",
                columns: new[] { "DutyId", "AttemptTime" });

            migrationBuilder.CreateIndex(
                name: "IX_ExplanationAttempts_PatientId_AttemptTime",
                table: "ExplanationAttempts",
                columns: new[] { "PatientId", "AttemptTime" });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreateTime",
                table: "IdempotencyRecords",
                column: "CreateTime");

            migrationBuilder.CreateIndex(
                name: "IX_LegalStatusEpisodes_PatientId_StartTime",
                table: "LegalStatusEpisodes",
                columns: new[] { "PatientId", "StartTime" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalStatusEpisodes_State_Hospital_Ward",
                table: "LegalStatusEpisodes",
                columns: new[] { "State", "Hospital", "Ward" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_LocalId",
                table: "Patients",
                column: "LocalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Patients_NhsNumber",
                table: "Patients",
                column: "NhsNumber",
                unique: true,
                filter: "[NhsNumber] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_EpisodeId",
                table: "RightsDuties",
                column: "EpisodeId");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_PatientId_State",
                table: "RightsDuties",
                columns: new[] { "PatientId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_State_Hospital_Ward_DueTime",
                table: "RightsDuties",
                columns: new[] { "State", "Hospital", "Ward", "DueTime" });

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_State_NextAttemptTime",
                table: "RightsDuties",
                columns: new[] { "State", "NextAttemptTime" });

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_State_NextReminderTime",
                table: "RightsDuties",
                columns: new[] { "State", "NextReminderTime" });

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledTriggers_EpisodeId",
                table: "ScheduledTriggers",
                column: "EpisodeId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledTriggers_FiredTime_Cancelled_FireTime",
                table: "ScheduledTriggers",
                columns: new[] { "FiredTime", "Cancelled", "FireTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "ExplanationAttempts");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "ScheduledTriggers");

            migrationBuilder.DropTable(
                name: "RightsDuties");

            migrationBuilder.DropTable(
                name: "LegalStatusEpisodes");

            migrationBuilder.DropTable(
                name: "Patients");
        }
    }
}
