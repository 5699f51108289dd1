using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;
using Dimension = MhaRights.Contracts.V1.BreakdownDimension;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// Dataset B, built through the gRPC API with the fake clock moving forward: the re-explanation triggers. Every
/// patient is White British, male, born 1 January 1980 (age band 45-54), so each demographic breakdown has one group
/// equal to the headline; provision and month carry the detail. All episodes start in March 2026; the report runs on
/// 20 September 2026 for March.
/// <code>
/// S1-S6 s3 from 03-02 10:00, explained (understood) 12:00. Renewed 08-20 10:00 (s20): S1-S5 explained again
///       12:00 (attempt trigger RENEWAL). The renewal schedules the second tribunal window and the s68 reference for
///       09-01 23:00; the sweeper fires both on 09-10; S1-S5 explained again 09-10 12:00.
/// C1-C7 s136 from 03-03 10:00, changed to s2 at 13:00 (before the s136 4h SLA, no attempt: that duty leaves the
///       population). s2 duty explained 15:00 for C1-C6, never for C7. Discharge planned on 03-20 for 03-30 10:00
///       (s133 notice due 03-23 10:00): C1-C5 notices sent 03-21, C6 sent 03-25 (late), C7 ordered by the nearest
///       relative (not required). Episodes end 03-30.
/// R1-R6 CTO from 03-04 10:00, s132A explained 11:00. Recalled 03-14 10:00 (s132(1), SLA 12h): R1-R5 explained 12:00,
///       R6 never. Released 03-16. The sweep on 09-10 raises the 6-monthly community reminder; R1-R3 explained again.
/// </code>
/// </summary>
public sealed class ComplianceReportReexplanationTests(ReexplanationDataset data) : IClassFixture<ReexplanationDataset>
{
    private readonly ComplianceReport _report = data.Report;

    [Fact]
    public void InitialWithinSla_FourProvisions_ChangedS136LeavesThePopulation()
    {
        var m = _report.Measure("initial_within_sla");
        // s3 6/6, s2 6/7 (C7 never), CTO 6/6, recall 5/6 (R6 never); the s136 duties ended before their deadline.
        Assert.Equal("23/25", m.Headline());
        Assert.Equal("PROVISION_SECTION_2=6/7; PROVISION_SECTION_3=6/6; PROVISION_COMMUNITY_TREATMENT_ORDER=6/6; PROVISION_COMMUNITY_TREATMENT_ORDER_RECALL=5/6", m.Rows(Dimension.Provision));
        Assert.Equal("A=23/25", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=23/25", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=23/25", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=23/25", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=23/25", m.Rows(Dimension.Month));
    }

    [Fact]
    public void HoursToFirstAttempt_FromEachDutysOpening()
    {
        // Six at 1h (CTO), seventeen at 2h (s3 from the start, s2 from the change, recall from the recall).
        Assert.Equal("23/25 median 2 p90 2", _report.Measure("hours_to_first_attempt").Headline());
    }

    [Fact]
    public void RepeatAfterChangeOfProvision_S136ToS2_SixOfSeven()
    {
        var m = _report.Measure("repeat_after_change_of_provision");
        Assert.Equal("6/7", m.Headline());
        Assert.Equal("PROVISION_SECTION_2=6/7", m.Rows(Dimension.Provision));
        Assert.Equal("A=6/7", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=6/7", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=6/7", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=6/7", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=6/7", m.Rows(Dimension.Month));
    }

    [Fact]
    public void RepeatAfterRenewal_FiveOfSixExplainedAgain()
    {
        var m = _report.Measure("repeat_after_renewal");
        Assert.Equal("5/6", m.Headline());
        Assert.Equal("PROVISION_SECTION_3=5/6", m.Rows(Dimension.Provision));
        Assert.Equal("A=5/6", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=5/6", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=5/6", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=5/6", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=5/6", m.Rows(Dimension.Month));
    }

    [Fact]
    public void RepeatAfterTribunalWindow_WindowAndReferenceFiredTogether_FiveOfSix()
    {
        var m = _report.Measure("repeat_after_tribunal_window");
        Assert.Equal("5/6", m.Headline());
        Assert.Equal("PROVISION_SECTION_3=5/6", m.Rows(Dimension.Provision));
        Assert.Equal("A=5/6", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=5/6", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=5/6", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=5/6", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=5/6", m.Rows(Dimension.Month));
    }

    [Fact]
    public void RepeatAfterCtoRecall_FiveOfSix()
    {
        var m = _report.Measure("repeat_after_cto_recall");
        Assert.Equal("5/6", m.Headline());
        Assert.Equal("PROVISION_COMMUNITY_TREATMENT_ORDER_RECALL=5/6", m.Rows(Dimension.Provision));
        Assert.Equal("A=5/6", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=5/6", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=5/6", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=5/6", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=5/6", m.Rows(Dimension.Month));
    }

    [Fact]
    public void RepeatedDiscussions_LongStaysOnly_CtoRowSuppressedAndS3HiddenWithIt()
    {
        var m = _report.Measure("repeated_discussions");
        // s3: first attempt 03-02, more than 3 months before T, still detained: S1-S5 have 3 attempts, S6 one → 5/6.
        // CTO: first attempt 03-04, more than 6 months before T: R1-R3 two attempts → 3/6. The s2 and recall duties
        // ended within 3 months of their first attempt, so they are out.
        Assert.Equal("8/12", m.Headline());
        Assert.Equal("PROVISION_SECTION_3=S2; PROVISION_COMMUNITY_TREATMENT_ORDER=S", m.Rows(Dimension.Provision));
        Assert.Equal("A=8/12", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=8/12", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=8/12", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=8/12", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=8/12", m.Rows(Dimension.Month));
    }

    [Fact]
    public void DischargeNotices_OnTimeLateAndNotRequired_FiveOfSix()
    {
        var m = _report.Measure("s133_notice_on_time");
        // C1-C5 on time, C6 late; C7 (ordered by the nearest relative) is not required, so it is not counted.
        Assert.Equal("5/6", m.Headline());
        Assert.Equal("PROVISION_SECTION_2=5/6", m.Rows(Dimension.Provision));
        Assert.Equal("A=5/6", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=5/6", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=5/6", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=5/6", m.Rows(Dimension.AgeBand));
        Assert.Equal("2026-03=5/6", m.Rows(Dimension.Month));
    }

    [Fact]
    public async Task AsOfNow_AuditHistoryPath_SameFiguresAsTheCurrentRecord()
    {
        var asOf = await data.App.Reports().GetComplianceReportAsync(Request(ReexplanationDataset.PeriodStart, ReexplanationDataset.PeriodEnd, data.App.Clock.GetUtcNow()));
        Assert.Equal(Figures(_report), Figures(asOf));
    }

    [Fact]
    public async Task AsOfBeforeRenewal_RenewalAndTribunalNotYetRaised_Suppressed()
    {
        // On 1 August nothing had been renewed or fired; the March explanations were all standing.
        var asOf = await data.App.Reports().GetComplianceReportAsync(Request(ReexplanationDataset.PeriodStart, ReexplanationDataset.PeriodEnd, Utc(8, 1, 0)));
        Assert.Equal("S", asOf.Measure("repeat_after_renewal").Headline());
        Assert.Empty(asOf.Measure("repeat_after_renewal").Breakdowns.Single(b => b.Dimension == Dimension.Provision).Rows);
        Assert.Equal("S", asOf.Measure("repeat_after_tribunal_window").Headline());
        Assert.Equal("23/25", asOf.Measure("initial_within_sla").Headline());
        // Only the s3 duties are old enough (3 months before 1 August), each with a single attempt then: 0 of 6.
        Assert.Equal("0/6", asOf.Measure("repeated_discussions").Headline());
    }

    private static string Figures(ComplianceReport report) =>
        string.Join("\n", report.Measures.Select(m => m.Id + " " + m.Headline() + " | " + string.Join(" | ", m.Breakdowns.Select(b => m.Rows(b.Dimension)))));
}

/// <summary>Dataset B (see <see cref="ComplianceReportReexplanationTests"/>), built once for the class.</summary>
public sealed class ReexplanationDataset : IAsyncLifetime
{
    public static readonly DateTimeOffset PeriodStart = Utc(3, 1, 0);

    /// <summary>1 April 00:00 BST.</summary>
    public static readonly DateTimeOffset PeriodEnd = Utc(3, 31, 23);

    public TestApp App { get; private set; } = null!;

    public ComplianceReport Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        var s3 = new List<(Patient Patient, LegalStatusEpisode Episode)>();
        var changed = new List<(Patient Patient, LegalStatusEpisode Episode)>();
        var ctos = new List<(Patient Patient, LegalStatusEpisode Episode)>();
        var recalls = new List<LegalStatusEpisode>();

        App.Clock.SetUtcNow(Utc(3, 2, 12));
        for (var i = 0; i < 6; i++)
        {
            var patient = await NewPatientAsync();
            var episode = await App.EpisodeAsync(patient, Provision.Section3, Utc(3, 2, 10));
            await App.ExplainAtAsync(await App.DutyAsync(patient, DutyKind.Section1321), Utc(3, 2, 12), AttemptOutcome.Understood);
            s3.Add((patient, episode));
        }

        App.Clock.SetUtcNow(Utc(3, 3, 15));
        for (var i = 0; i < 7; i++)
        {
            var patient = await NewPatientAsync();
            var s136 = await App.EpisodeAsync(patient, Provision.Section136, Utc(3, 3, 10));
            var change = await App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = s136.Name, Provision = Provision.Section2, ChangeTime = Scenario.At(Utc(3, 3, 13)) });
            if (i < 6)
            {
                await App.ExplainAtAsync(await App.DutyAsync(patient, DutyKind.Section1321), Utc(3, 3, 15), AttemptOutcome.Understood);
            }

            changed.Add((patient, change.CurrentEpisode));
        }

        App.Clock.SetUtcNow(Utc(3, 4, 11));
        for (var i = 0; i < 6; i++)
        {
            var patient = await NewPatientAsync();
            var cto = await App.EpisodeAsync(patient, Provision.CommunityTreatmentOrder, Utc(3, 4, 10), suspended: Provision.Section3);
            await App.ExplainAtAsync(await App.DutyAsync(patient, DutyKind.Section132A), Utc(3, 4, 11), AttemptOutcome.Understood);
            ctos.Add((patient, cto));
        }

        App.Clock.SetUtcNow(Utc(3, 14, 12));
        for (var i = 0; i < 6; i++)
        {
            var recall = await App.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest { Name = ctos[i].Episode.Name, Hospital = "RXM01", Ward = "ASH", RecallTime = Scenario.At(Utc(3, 14, 10)) });
            if (i < 5)
            {
                await App.ExplainAtAsync(await App.DutyAsync(ctos[i].Patient, DutyKind.Section1321), Utc(3, 14, 12), AttemptOutcome.Understood);
            }

            recalls.Add(recall.CurrentEpisode);
        }

        App.Clock.SetUtcNow(Utc(3, 16, 10));
        foreach (var recall in recalls)
        {
            await App.LegalStatus.ReleaseFromRecallAsync(new ReleaseFromRecallRequest { Name = recall.Name, ReleaseTime = Scenario.At(Utc(3, 16, 10)) });
        }

        App.Clock.SetUtcNow(Utc(3, 20, 10));
        for (var i = 0; i < 7; i++)
        {
            await App.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = changed[i].Episode.Name, PlannedDischargeTime = Scenario.At(Utc(3, 30, 10)), OrderedByNearestRelative = i == 6 });
        }

        App.Clock.SetUtcNow(Utc(3, 21, 10));
        for (var i = 0; i < 5; i++)
        {
            await App.SendNoticeAsync(await App.DutyAsync(changed[i].Patient, DutyKind.Section133DischargeNotice), Utc(3, 21, 10));
        }

        App.Clock.SetUtcNow(Utc(3, 25, 10));
        await App.SendNoticeAsync(await App.DutyAsync(changed[5].Patient, DutyKind.Section133DischargeNotice), Utc(3, 25, 10));

        App.Clock.SetUtcNow(Utc(3, 30, 10));
        for (var i = 0; i < 7; i++)
        {
            await App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
            {
                Name = changed[i].Episode.Name,
                EndTime = Scenario.At(Utc(3, 30, 10)),
                EndReason = i == 6 ? LegalStatusEpisode.Types.EndReason.DischargedByNearestRelative : LegalStatusEpisode.Types.EndReason.DischargedByResponsibleClinician,
            });
        }

        App.Clock.SetUtcNow(Utc(8, 20, 12));
        for (var i = 0; i < 6; i++)
        {
            await App.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = s3[i].Episode.Name, RenewalTime = Scenario.At(Utc(8, 20, 10)) });
            if (i < 5)
            {
                await App.ExplainAtAsync(await App.DutyAsync(s3[i].Patient, DutyKind.Section1321), Utc(8, 20, 12), AttemptOutcome.Understood);
            }
        }

        App.Clock.SetUtcNow(Utc(9, 10, 10));
        await App.AdvanceAndSweepAsync(TimeSpan.Zero);
        App.Clock.SetUtcNow(Utc(9, 10, 12));
        for (var i = 0; i < 5; i++)
        {
            await App.ExplainAtAsync(await App.DutyAsync(s3[i].Patient, DutyKind.Section1321), Utc(9, 10, 12), AttemptOutcome.Understood);
        }

        for (var i = 0; i < 3; i++)
        {
            await App.ExplainAtAsync(await App.DutyAsync(ctos[i].Patient, DutyKind.Section132A), Utc(9, 10, 12), AttemptOutcome.Understood);
        }

        App.Clock.SetUtcNow(Utc(9, 20, 12));
        Report = await App.Reports().GetComplianceReportAsync(Request(PeriodStart, PeriodEnd));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    private Task<Patient> NewPatientAsync() => App.PatientAsync("A", Sex.Male, new DateOnly(1980, 1, 1));
}
