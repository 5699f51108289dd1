using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MhaRights.Server.Persistence.Migrations.PostgreSql
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
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Salt = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    SecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    ExpireTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokeTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedByPrincipal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    CreatedByRole = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
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
                    EventTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActorPrincipal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    ActorRole = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    ActorDisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    Resource = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    FromState = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    ToState = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    Trigger = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    RequestId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true, collation: "C"),
                    DetailsJson = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Caller = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    Method = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false, collation: "C"),
                    RequestId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Response = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.Caller, x.Method, x.RequestId });
                });

            migrationBuilder.CreateTable(
                name: "Patients",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    LocalId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    NhsNumber = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true, collation: "C"),
                    GivenName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true, collation: "C"),
                    FamilyName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true, collation: "C"),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: true),
                    Sex = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    EthnicCategory = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true, collation: "C"),
                    PreferredLanguage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true, collation: "C"),
                    InterpreterNeeded = table.Column<bool>(type: "boolean", nullable: false),
                    Hospital = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Ward = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    NearestRelativeStatus = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    NearestRelativeName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    NearestRelativeRelationship = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true, collation: "C"),
                    NearestRelativeAddress = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true, collation: "C"),
                    NearestRelativeContact = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    NearestRelativeCopyAskedTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ObjectsToNearestRelativeCopy = table.Column<bool>(type: "boolean", nullable: false),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Patients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AdjustmentRecords",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    State = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    SharingState = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    ReviewState = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    IdentificationSource = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    IdentificationNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    ReviewDueTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Identified_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Identified_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Identified_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    Identified_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastReviewed_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    LastReviewed_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    LastReviewed_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    LastReviewed_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NationalSync_LastAttemptTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NationalSync_LastOutcomeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    NationalSync_LastOutcomeDiagnostics = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    NationalSync_LastRequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    NationalSync_LastSuccessTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NationalSync_NationalFlagId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    Removal_ReasonCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    Removal_BestInterest_DecisionMaker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_BestInterest_Summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    Removal_By_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_By_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_By_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    Removal_By_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SharingDecision_ConsentProxyRoleCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true, collation: "C"),
                    SharingDecision_Decision = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    SharingDecision_RepresentativeName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    SharingDecision_RepresentativeRelationship = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    SharingDecision_BestInterest_DecisionMaker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    SharingDecision_BestInterest_Summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    SharingDecision_Recorded_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    SharingDecision_Recorded_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    SharingDecision_Recorded_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    SharingDecision_Recorded_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ThresholdConfirmed_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    ThresholdConfirmed_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    ThresholdConfirmed_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    ThresholdConfirmed_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ThresholdConfirmedByNhsUser_OdsOrganizationCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true, collation: "C"),
                    ThresholdConfirmedByNhsUser_SdsJobRoleCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true, collation: "C"),
                    ThresholdConfirmedByNhsUser_SdsRoleProfileId = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true, collation: "C"),
                    ThresholdConfirmedByNhsUser_SdsUserId = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true, collation: "C")
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
                name: "LegalStatusEpisodes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    Provision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SuspendedProvision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Hospital = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Ward = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    StartTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiryTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PeriodStartTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LapsedTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RenewalCount = table.Column<int>(type: "integer", nullable: false),
                    LastRenewalTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EndNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    PreviousEpisodeId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    NextEpisodeId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    ParentEpisodeId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    PlannedDischargeTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstMedicationTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
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
                name: "AdjustmentItems",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    RecordId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    State = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true, collation: "C"),
                    SnomedCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: true, collation: "C"),
                    Display = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    BespokeText = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    ImpairmentCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true, collation: "C"),
                    OtherText = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    ConditionCategoryCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true, collation: "C"),
                    CodeTableVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    FreeText = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    SupersedesId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    SupersededById = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    NationalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Recorded_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Recorded_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Recorded_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    Recorded_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RecordedByNhsUser_OdsOrganizationCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true, collation: "C"),
                    RecordedByNhsUser_SdsJobRoleCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true, collation: "C"),
                    RecordedByNhsUser_SdsRoleProfileId = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true, collation: "C"),
                    RecordedByNhsUser_SdsUserId = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true, collation: "C"),
                    Removal_Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    Removal_ReasonCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    Removal_BestInterest_DecisionMaker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_BestInterest_Summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    Removal_By_DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_By_Principal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Removal_By_Role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true, collation: "C"),
                    Removal_By_Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "RightsDuties",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    EpisodeId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    State = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    LastTrigger = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Provision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Hospital = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Ward = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    OpenTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DueTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextAttemptTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextReminderTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstAttemptTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UnderstoodTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OralGivenTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    WrittenGivenTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolvedTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolutionNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    AttemptCount = table.Column<int>(type: "integer", nullable: false),
                    SupersededById = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    AuthorityLapsedTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
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
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    EpisodeId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    Trigger = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    FireTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    FiredTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
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
                    Id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    DutyId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    PatientId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false, collation: "C"),
                    AttemptTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExplainedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    ExplainedByRole = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    Provision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    OralGiven = table.Column<bool>(type: "boolean", nullable: false),
                    WrittenGiven = table.Column<bool>(type: "boolean", nullable: false),
                    LeafletId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    LeafletVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    LeafletLanguage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true, collation: "C"),
                    InterpreterUsed = table.Column<bool>(type: "boolean", nullable: false),
                    AccessibleFormat = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true, collation: "C"),
                    Outcome = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    CapacityNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    ImhaInformationGiven = table.Column<bool>(type: "boolean", nullable: false),
                    NearestRelativeSharing = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    NextAttemptTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CommunicationNeedsJson = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    UnmetCommunicationNeeds = table.Column<int>(type: "integer", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CorrectsId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    CorrectedById = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true, collation: "C"),
                    VoidReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    VoidTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RecordedByPrincipal = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    RecordedByRole = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    RecordedByDisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    CreateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
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
                name: "IX_ExplanationAttempts_Report",
                table: "ExplanationAttempts",
                columns: new[] { "DutyId", "State", "Outcome", "Trigger", "ImhaInformationGiven", "AttemptTime", "PatientId" });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreateTime",
                table: "IdempotencyRecords",
                column: "CreateTime");

            migrationBuilder.CreateIndex(
                name: "IX_LegalStatusEpisodes_PatientId_StartTime",
                table: "LegalStatusEpisodes",
                columns: new[] { "PatientId", "StartTime" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalStatusEpisodes_Report",
                table: "LegalStatusEpisodes",
                columns: new[] { "StartTime", "CreateTime", "EndReason", "UpdateTime", "Provision", "Hospital", "Ward", "RenewalCount", "LastRenewalTime", "PatientId", "Id" });

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
                filter: "\"NhsNumber\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_Report",
                table: "Patients",
                columns: new[] { "Id", "EthnicCategory", "Sex", "DateOfBirth" });

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_EpisodeId",
                table: "RightsDuties",
                column: "EpisodeId");

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_PatientId_State",
                table: "RightsDuties",
                columns: new[] { "PatientId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RightsDuties_Report",
                table: "RightsDuties",
                columns: new[] { "Id", "EpisodeId", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime", "UnderstoodTime", "AttemptCount", "NextAttemptTime" });

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
                name: "AdjustmentItems");

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
                name: "AdjustmentRecords");

            migrationBuilder.DropTable(
                name: "RightsDuties");

            migrationBuilder.DropTable(
                name: "LegalStatusEpisodes");

            migrationBuilder.DropTable(
                name: "Patients");
        }
    }
}
