using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;
using Dimension = MhaRights.Contracts.V1.BreakdownDimension;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// Dataset A, built through the gRPC API: sixteen section 2 episodes in March-April 2026 with known demographics,
/// explanation attempts, nearest-relative copies and IMHA information. Every expected number below is worked out by
/// hand from this table (hours after the episode start; U understood, NU not understood, D declined, late = after the
/// 24-hour SLA of section 2):
/// <code>
///  #   ethnic sex age band start (UTC)        first attempt     later        IMHA  NR copies     ward
///  P1  A      M   18-24    03-02 09:00         2h U                           yes   both sent     ASH
///  P2  A      F   18-24    03-03 12:00         3h U                           yes   both sent     ASH
///  P3  A      M   25-34    03-05 08:00         4h U                           yes   both sent     ASH
///  P4  A      F   25-34    03-07 20:00        10h U                           yes   both sent     ASH
///  P5  A      M   45-54    03-09 15:00         6h NU (re-attempt +72h, missed) yes  both sent     ASH
///  P6  A      F   25-34    03-11 10:00         4h NU            30h U        yes   both sent     ASH
///  P7  A      M   unknown  03-13 06:00        10h D (re-attempt planned 06-01) yes  both sent     ASH
///  P8  N      M   18-24    03-15 11:00        20h U (18th birthday that day)  yes   both sent     ASH
///  P9  N      F   25-34    03-17 09:00        24h U (exactly the SLA)         yes   both sent     ASH
///  P10 N      M   45-54    03-20 14:00        30h U late                      yes   both sent     ASH
///  P11 N      F   18-24    03-24 16:00        48h U late, patient objects     yes   not required  ASH
///  P12 N      M   25-34    03-31 23:30 (April in London)  5h U                yes   no NR: n/r    ASH
///  P13 M      M   45-54    04-03 10:00         8h U                           no    not sent      BIRCH
///  P14 M      F   25-34    04-08 10:00        12h U                           no    not sent      BIRCH
///  P15 blank  M   unknown  04-14 10:00        36h U late                      no    not sent      BIRCH
///  P16 blank  F   18-24    04-20 10:00        no attempt                      no    not sent      BIRCH
/// </code>
/// The report runs on 2026-05-10 for episodes starting in March and April (Europe/London).
/// </summary>
public sealed class ComplianceReportInitialExplanationTests(InitialExplanationDataset data) : IClassFixture<InitialExplanationDataset>
{
    private static readonly DateTimeOffset PeriodStart = InitialExplanationDataset.PeriodStart;
    private static readonly DateTimeOffset PeriodEnd = InitialExplanationDataset.PeriodEnd;

    private readonly TestApp _app = data.App;
    private readonly ComplianceReport _report = data.Report;

    [Fact]
    public void InitialWithinSla_HandBuiltDataset_EveryBreakdownAndSuppressionAsComputedByHand()
    {
        var m = _report.Measure("initial_within_sla");
        // Within 24h: P1-P9, P12, P13, P14 (P9 exactly at the SLA counts); late: P10, P11, P15; none: P16.
        Assert.Equal("12/16", m.Headline());
        Assert.Equal(75.0, m.Percentage);
        // A 7/7; N 3/5 (numerator < 5), M 0+2/2 and blank 0/2 suppressed; the three hidden cells hold 5/9, so no more.
        Assert.Equal("A=7/7; M=S; N=S; UNRECORDED=S", m.Rows(Dimension.EthnicCategory));
        // Black = M + N = 5/7; not stated 0/2 is the only hidden group, so the smallest other (tie on 7: fewer in the
        // numerator) is hidden too.
        Assert.Equal("WHITE=7/7; BLACK=S2; NOT_STATED_OR_KNOWN=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=7/9; FEMALE=5/7", m.Rows(Dimension.Sex));
        // 18-24: P1 P2 P8 P11 P16 = 3/5; 25-34: P3 P4 P6 P9 P12 P14 = 6/6; 45-54: P5 P10 P13 = 2/3; unknown: P7 P15 = 1/2.
        Assert.Equal("18-24=S; 25-34=6/6; 45-54=S; UNKNOWN=S", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=12/16", m.Rows(Dimension.Provision));
        // March 9/11; April (P12 starts 00:30 BST on 1 April) 3/5 is suppressed, which would give March away.
        Assert.Equal("2026-03=S2; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Fact]
    public void HoursToFirstAttempt_HandBuiltDataset_MedianAndP90ByLinearInterpolation()
    {
        var m = _report.Measure("hours_to_first_attempt");
        // Values 2 3 4 4 5 6 8 10 10 12 20 24 30 36 48 (n = 15): median the 8th = 10; p90 at 12.6 = 30 + 0.6 × 6 = 33.6.
        Assert.Equal("15/16 median 10 p90 33.6", m.Headline());
        Assert.Equal(MeasureKind.Duration, m.Kind);
        Assert.True(m.LowerIsBetter);
        // A: 2 3 4 4 6 10 10; N: 5 20 24 30 48 would be visible but M (2 values) and blank (1 of 2) hide only 3 values.
        Assert.Equal("A=7/7 median 4 p90 10; M=S; N=S2; UNRECORDED=S", m.Rows(Dimension.EthnicCategory));
        // Black: 5 8 12 20 24 30 48 → median 20, p90 at 5.4 = 30 + 0.4 × 18 = 37.2; White ties with Black on 7/7 and
        // comes first, so it is the second group hidden.
        Assert.Equal("WHITE=S2; BLACK=7/7 median 20 p90 37.2; NOT_STATED_OR_KNOWN=S", m.Rows(Dimension.EthnicGroup));
        // Male: 2 4 5 6 8 10 20 30 36; female: 3 4 10 12 24 48 (P16 none) → median 11, p90 at 4.5 = 24 + 0.5 × 24 = 36.
        Assert.Equal("MALE=9/9 median 8 p90 31.2; FEMALE=6/7 median 11 p90 36", m.Rows(Dimension.Sex));
        // 25-34: 4 4 5 10 12 24 → median 7.5, p90 at 4.5 = 12 + 0.5 × 12 = 18.
        Assert.Equal("18-24=S; 25-34=6/6 median 7.5 p90 18; 45-54=S; UNKNOWN=S", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=15/16 median 10 p90 33.6", m.Rows(Dimension.Provision));
        Assert.Equal("2026-03=S2; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Fact]
    public void HoursToUnderstanding_HandBuiltDataset_FirstUnderstoodAttemptOnly()
    {
        var m = _report.Measure("hours_to_understanding");
        // Understood: 2 3 4 5 8 10 12 20 24 30 30 36 48 (P6 at 30h after a failed attempt; P5, P7, P16 never).
        Assert.Equal("13/16 median 12 p90 34.8", m.Headline());
        Assert.Equal("A=5/7 median 4 p90 22; M=S; N=S2; UNRECORDED=S", m.Rows(Dimension.EthnicCategory));
        // Tie on 7 duties: White has fewer values (5), so White is hidden.
        Assert.Equal("WHITE=S2; BLACK=7/7 median 20 p90 37.2; NOT_STATED_OR_KNOWN=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=7/9 median 8 p90 32.4; FEMALE=6/7 median 18 p90 39", m.Rows(Dimension.Sex));
        Assert.Equal("18-24=S; 25-34=6/6 median 11 p90 27; 45-54=S; UNKNOWN=S", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=13/16 median 12 p90 34.8", m.Rows(Dimension.Provision));
        Assert.Equal("2026-03=S2; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Fact]
    public void NearestRelativeCopies_SentObjectionOrNoNearestRelative_CountAsDone()
    {
        var m = _report.Measure("nr_copy_sent_or_objection");
        // Two copies each (s132(4), s130D(5)): P1-P10 sent (20), P11 objection (2), P12 no nearest relative (2).
        Assert.Equal("24/32", m.Headline());
        Assert.Equal("A=14/14; M=S; N=S2; UNRECORDED=S", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=14/14; BLACK=S2; NOT_STATED_OR_KNOWN=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=14/18; FEMALE=10/14", m.Rows(Dimension.Sex));
        Assert.Equal("18-24=8/10; 25-34=10/12; 45-54=S; UNKNOWN=S", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=24/32", m.Rows(Dimension.Provision));
        Assert.Equal("2026-03=S2; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Fact]
    public void ImhaInformation_GivenOnTheRightsAttempt_CountsForTheQualifyingDuty()
    {
        var m = _report.Measure("imha_information_given");
        Assert.Equal("12/16", m.Headline());
        Assert.Equal("A=7/7; M=S; N=S2; UNRECORDED=S", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=7/7; BLACK=S2; NOT_STATED_OR_KNOWN=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=7/9; FEMALE=5/7", m.Rows(Dimension.Sex));
        Assert.Equal("18-24=S; 25-34=5/6; 45-54=S; UNKNOWN=S", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=12/16", m.Rows(Dimension.Provision));
        Assert.Equal("2026-03=S2; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Fact]
    public void NotUnderstood_TwoDutiesOnly_HeadlineAndEveryRowSuppressed()
    {
        var m = _report.Measure("not_understood_no_reattempt");
        // P5 (re-attempt missed) and P7 (re-attempt planned for June): 1 of 2, fewer than 5 → nothing is shown.
        Assert.Equal("S", m.Headline());
        Assert.True(m.Suppressed);
        Assert.Equal(0, m.Numerator);
        Assert.False(m.HasPercentage);
        Assert.True(m.LowerIsBetter);
        Assert.Equal("A=S", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("MALE=S", m.Rows(Dimension.Sex));
        Assert.Equal("45-54=S; UNKNOWN=S", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=S", m.Rows(Dimension.Provision));
        Assert.Equal("2026-03=S; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Theory]
    [InlineData("repeat_after_change_of_provision")]
    [InlineData("repeat_after_renewal")]
    [InlineData("repeat_after_tribunal_window")]
    [InlineData("repeat_after_cto_recall")]
    [InlineData("repeated_discussions")]
    [InlineData("s133_notice_on_time")]
    [InlineData("unmet_communication_needs")]
    public void MeasuresWithoutDuties_NothingInScope_SuppressedWithEmptyBreakdowns(string id)
    {
        var m = _report.Measure(id);
        Assert.Equal("S", m.Headline());
        Assert.Equal(string.Empty, m.Rows(Dimension.EthnicCategory));
        Assert.Equal(string.Empty, m.Rows(Dimension.Provision));
        // Months are always listed, so a trend shows the gap.
        Assert.Equal("2026-03=S; 2026-04=S", m.Rows(Dimension.Month));
    }

    [Fact]
    public async Task WardFilter_Ash_OnlyThoseEpisodes()
    {
        var request = Request(PeriodStart, PeriodEnd);
        request.Ward = "ASH";
        var report = await _app.Reports().GetComplianceReportAsync(request);
        // P1-P12: within SLA except P10 and P11.
        Assert.Equal("10/12", report.Measure("initial_within_sla").Headline());
        Assert.Equal("ASH", report.Ward);
    }

    [Fact]
    public async Task BreakdownsRequested_SexOnly_OtherDimensionsLeftOut()
    {
        var request = Request(PeriodStart, PeriodEnd);
        request.Breakdowns.Add(Dimension.Sex);
        var report = await _app.Reports().GetComplianceReportAsync(request);
        var m = report.Measure("initial_within_sla");
        Assert.Equal([Dimension.Sex], m.Breakdowns.Select(b => b.Dimension));
        Assert.Equal("MALE=7/9; FEMALE=5/7", m.Rows(Dimension.Sex));
    }

    [Fact]
    public async Task LongPeriod_ReadInParallelTimePartitions_SameFiguresPlusEmptyMonths()
    {
        // Six months (more than the 92-day threshold) are read as time slices on separate connections.
        var report = await _app.Reports().GetComplianceReportAsync(Request(Utc(1, 1, 0), Utc(6, 30, 23)));
        Assert.Equal(_report.Measures.Select(m => m.Id + " " + m.Headline()), report.Measures.Select(m => m.Id + " " + m.Headline()));
        Assert.Equal("A=7/7; M=S; N=S; UNRECORDED=S", report.Measure("initial_within_sla").Rows(Dimension.EthnicCategory));
        Assert.Equal("2026-01=S; 2026-02=S; 2026-03=S2; 2026-04=S; 2026-05=S; 2026-06=S", report.Measure("initial_within_sla").Rows(Dimension.Month));
    }

    [Fact]
    public async Task AsOfNow_SameRecord_SameFiguresAsTheCurrentRecordPath()
    {
        var asOf = await _app.Reports().GetComplianceReportAsync(Request(PeriodStart, PeriodEnd, _app.Clock.GetUtcNow()));
        Assert.Equal(Figures(_report), Figures(asOf));
        Assert.Contains(asOf.Notes, n => n.StartsWith("Computed as of 2026-05-10 13:00 (BST) from the audit history", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_Metadata_PeriodNotesAndThreshold()
    {
        Assert.Equal(5, _report.SuppressionThreshold);
        Assert.Equal(Utc(5, 10, 12), _report.AsOfTime.ToDateTimeOffset());
        Assert.Equal(Utc(5, 10, 12), _report.GeneratedTime.ToDateTimeOffset());
        Assert.Contains(_report.Notes, n => n.Contains("as it stood at 2026-05-10 13:00 (BST)", StringComparison.Ordinal));
        Assert.Contains(_report.Notes, n => n.Contains("Section5_4 2h", StringComparison.Ordinal) && n.Contains("all other provisions 24h", StringComparison.Ordinal));
        Assert.Contains(_report.Notes, n => n.Contains("below 5 is suppressed", StringComparison.Ordinal));
        Assert.All(_report.Measures, m => Assert.False(string.IsNullOrWhiteSpace(m.Definition)));
    }

    private static string Figures(ComplianceReport report) =>
        string.Join("\n", report.Measures.Select(m => m.Id + " " + m.Headline() + " | " + string.Join(" | ", m.Breakdowns.Select(b => m.Rows(b.Dimension)))));
}

/// <summary>Dataset A (see <see cref="ComplianceReportInitialExplanationTests"/>), built once for the class.</summary>
public sealed class InitialExplanationDataset : IAsyncLifetime
{
    public static readonly DateTimeOffset PeriodStart = Utc(3, 1, 0);

    /// <summary>1 May 00:00 BST.</summary>
    public static readonly DateTimeOffset PeriodEnd = Utc(4, 30, 23);

    public TestApp App { get; private set; } = null!;

    public ComplianceReport Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        App.Clock.SetUtcNow(Utc(5, 10, 12));
        (string Ethnic, Sex Sex, DateOnly? Dob, DateTimeOffset Start, string Ward, NearestRelative.Types.Status Nr)[] patients =
        [
            ("A", Sex.Male, new(2005, 6, 15), Utc(3, 2, 9), "ASH", NearestRelative.Types.Status.Identified),
            ("A", Sex.Female, new(2004, 1, 10), Utc(3, 3, 12), "ASH", NearestRelative.Types.Status.Identified),
            ("A", Sex.Male, new(1995, 5, 5), Utc(3, 5, 8), "ASH", NearestRelative.Types.Status.Identified),
            ("A", Sex.Female, new(1992, 2, 2), Utc(3, 7, 20), "ASH", NearestRelative.Types.Status.Identified),
            ("A", Sex.Male, new(1978, 9, 9), Utc(3, 9, 15), "ASH", NearestRelative.Types.Status.Identified),
            ("A", Sex.Female, new(2000, 12, 1), Utc(3, 11, 10), "ASH", NearestRelative.Types.Status.Identified),
            ("A", Sex.Male, null, Utc(3, 13, 6), "ASH", NearestRelative.Types.Status.Identified),
            ("N", Sex.Male, new(2008, 3, 15), Utc(3, 15, 11), "ASH", NearestRelative.Types.Status.Identified),
            ("N", Sex.Female, new(1996, 7, 7), Utc(3, 17, 9), "ASH", NearestRelative.Types.Status.Identified),
            ("N", Sex.Male, new(1975, 1, 20), Utc(3, 20, 14), "ASH", NearestRelative.Types.Status.Identified),
            ("N", Sex.Female, new(2006, 3, 25), Utc(3, 24, 16), "ASH", NearestRelative.Types.Status.Identified),
            ("N", Sex.Male, new(1993, 6, 6), Utc(3, 31, 23, 30), "ASH", NearestRelative.Types.Status.NoneIdentified),
            ("M", Sex.Male, new(1980, 4, 10), Utc(4, 3, 10), "BIRCH", NearestRelative.Types.Status.Identified),
            ("M", Sex.Female, new(1998, 10, 10), Utc(4, 8, 10), "BIRCH", NearestRelative.Types.Status.Identified),
            (string.Empty, Sex.Male, null, Utc(4, 14, 10), "BIRCH", NearestRelative.Types.Status.Identified),
            (string.Empty, Sex.Female, new(2003, 8, 8), Utc(4, 20, 10), "BIRCH", NearestRelative.Types.Status.Identified),
        ];

        for (var i = 0; i < patients.Length; i++)
        {
            var (ethnic, sex, dob, start, ward, nr) = patients[i];
            var patient = await App.PatientAsync(ethnic, sex, dob, nr);
            await App.EpisodeAsync(patient, Provision.Section2, start, ward);
            var duty = await App.DutyAsync(patient, DutyKind.Section1321);
            var number = i + 1;
            var imha = number <= 12;
            switch (number)
            {
                case 5:
                    await App.ExplainAtAsync(duty, start.AddHours(6), AttemptOutcome.NotUnderstood, a => a.ImhaInformationGiven = imha);
                    break;
                case 6:
                    await App.ExplainAtAsync(duty, start.AddHours(4), AttemptOutcome.NotUnderstood, a => a.ImhaInformationGiven = imha);
                    await App.ExplainAtAsync(await App.DutyAsync(patient, DutyKind.Section1321), start.AddHours(30), AttemptOutcome.Understood);
                    break;
                case 7:
                    await App.ExplainAtAsync(duty, start.AddHours(10), AttemptOutcome.Declined, a =>
                    {
                        a.ImhaInformationGiven = imha;
                        a.NextAttemptTime = Scenario.At(Utc(6, 1, 9));
                    });
                    break;
                case 11:
                    await App.ExplainAtAsync(duty, start.AddHours(48), AttemptOutcome.Understood, a =>
                    {
                        a.ImhaInformationGiven = imha;
                        a.NearestRelativeSharing = NearestRelativeSharing.Objects;
                    });
                    break;
                case 16:
                    break;
                default:
                    double[] hours = [2, 3, 4, 10, 0, 0, 0, 20, 24, 30, 0, 5, 8, 12, 36];
                    await App.ExplainAtAsync(duty, start.AddHours(hours[i]), AttemptOutcome.Understood, a => a.ImhaInformationGiven = imha);
                    break;
            }

            if (number <= 10)
            {
                await App.SendNoticeAsync(await App.DutyAsync(patient, DutyKind.NearestRelativeCopy132), start.AddDays(2));
                await App.SendNoticeAsync(await App.DutyAsync(patient, DutyKind.NearestRelativeCopy130D), start.AddDays(2));
            }
        }

        Report = await App.Reports().GetComplianceReportAsync(Request(PeriodStart, PeriodEnd));
    }


    public async Task DisposeAsync() => await App.DisposeAsync();
}
