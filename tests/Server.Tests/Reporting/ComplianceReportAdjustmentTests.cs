using Google.Protobuf.WellKnownTypes;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Adjustments;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;
using Dimension = MhaRights.Contracts.V1.BreakdownDimension;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// Dataset D, through the gRPC API: reasonable-adjustment flags of patients detained under s2 from 2026-03-02 10:00
/// (all female, born 1 January 1990, so age band 35-44). On 03-02 11:00 the records are identified and activated:
/// <code>
///  #   ethnic  record                 review due   adjustments (category)          impairment  needs answered in attempts
///  F1  A       active                 03-10        BSL interpreter (002)           1           002 met
///  F2  A       active                 03-10        BSL interpreter (002)           1           002 NOT met
///  F3  A       active                 03-10        002, Easy Read (004)            1           002 met, 004 met
///  F4  N       active                 03-10        002, 004                        1           002 met, 004 NOT met
///  F5  N       active                 03-10        002, 004                        1           both met
///  F6  N       active                 09-01        002, 004                        2           both met
///  F7  A       active, removed 03-15  09-01        004                             -           004 met
///  F8  A       identified only        -            -                               -           (no needs)
///  F9  A       active                 09-01        002                             -           (no episode in March)
/// </code>
/// Each of F1-F8 has its s132(1), s132(2) and s130D duties explained at 03-02 12:00 (three attempts each). The report
/// runs on 04-05 for March.
/// </summary>
public sealed class ComplianceReportAdjustmentTests(AdjustmentDataset data) : IClassFixture<AdjustmentDataset>
{
    [Fact]
    public void FlagsActive_RemovedIdentifiedAndOutOfPopulationLeftOut_CountsByCategoryAndImpairment()
    {
        var m = data.Report.Measure("adjustment_flags_active");
        Assert.Equal(MeasureKind.Count, m.Kind);
        // F1-F6: F7 was removed on 03-15, F8 never activated, F9 has no episode in the period.
        Assert.Equal("6/6", m.Headline());
        Assert.False(m.HasPercentage);
        // Categories overlap (F3-F6 have both): 002 in F1-F6; 004 in F3-F6 only now F7 is removed (4: suppressed).
        Assert.Equal("002=6/6; 004=S", m.Rows(Dimension.AdjustmentCategory));
        Assert.Equal("1=5/6; 2=S", m.Rows(Dimension.Impairment));
        Assert.Equal("A=S; N=S", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=S; BLACK=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("FEMALE=6/6", m.Rows(Dimension.Sex));
        Assert.Equal(data.Flagged.Order(StringComparer.Ordinal), data.Report.FlaggedPatients);
    }

    [Fact]
    public void ReviewsOverdue_DueBeforeTheReport_FiveOfSix()
    {
        var m = data.Report.Measure("adjustment_reviews_overdue");
        Assert.True(m.LowerIsBetter);
        Assert.Equal("5/6", m.Headline());
        Assert.Equal("A=S; N=S", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=S; BLACK=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("FEMALE=5/6", m.Rows(Dimension.Sex));
    }

    [Fact]
    public void UnmetCommunicationNeeds_AttemptsThatAnsweredNeeds_SixOfTwentyOne()
    {
        var m = data.Report.Measure("unmet_communication_needs");
        // F1-F7 answered needs in 3 attempts each (21); F2 and F4 recorded a need not met in all three (6).
        Assert.Equal("6/21", m.Headline());
        // A: F1 F2 F3 F7 = 3 of 12; N: F4 F5 F6 = 3 of 9: numerators below 5.
        Assert.Equal("A=S; N=S", m.Rows(Dimension.EthnicCategory));
        Assert.Equal("WHITE=S; BLACK=S", m.Rows(Dimension.EthnicGroup));
        Assert.Equal("FEMALE=6/21", m.Rows(Dimension.Sex));
        Assert.Equal("35-44=6/21", m.Rows(Dimension.AgeBand));
        Assert.Equal("PROVISION_SECTION_2=6/21", m.Rows(Dimension.Provision));
        Assert.Equal("2026-03=6/21", m.Rows(Dimension.Month));
    }

    [Fact]
    public async Task AsOfBeforeTheRemoval_F7StillFlagged()
    {
        var report = await data.App.Reports().GetComplianceReportAsync(Request(AdjustmentDataset.PeriodStart, AdjustmentDataset.PeriodEnd, Utc(3, 12, 0)));
        var flags = report.Measure("adjustment_flags_active");
        Assert.Equal("7/7", flags.Headline());
        Assert.Equal("002=6/7; 004=5/7", flags.Rows(Dimension.AdjustmentCategory));
        Assert.Equal(7, report.FlaggedPatients.Count);
        // Reviews due 03-10 are overdue on 03-12 too; F6 and F7 are not.
        Assert.Equal("5/7", report.Measure("adjustment_reviews_overdue").Headline());
    }

    [Fact]
    public async Task BreakdownsRequested_ImpairmentOnly_OnlyThatBreakdown()
    {
        var request = Request(AdjustmentDataset.PeriodStart, AdjustmentDataset.PeriodEnd);
        request.Breakdowns.Add(Dimension.Impairment);
        var report = await data.App.Reports().GetComplianceReportAsync(request);
        Assert.Equal([Dimension.Impairment], report.Measure("adjustment_flags_active").Breakdowns.Select(b => b.Dimension));
        Assert.Equal("1=5/6; 2=S", report.Measure("adjustment_flags_active").Rows(Dimension.Impairment));
        Assert.Empty(report.Measure("unmet_communication_needs").Breakdowns);
    }

    [Fact]
    public async Task AsOfBeforeActivation_NoFlags()
    {
        var report = await data.App.Reports().GetComplianceReportAsync(Request(AdjustmentDataset.PeriodStart, AdjustmentDataset.PeriodEnd, Utc(3, 2, 10, 30)));
        Assert.Equal("S", report.Measure("adjustment_flags_active").Headline());
        Assert.Empty(report.FlaggedPatients);
    }
}

/// <summary>Dataset D (see <see cref="ComplianceReportAdjustmentTests"/>), built once for the class.</summary>
public sealed class AdjustmentDataset : IAsyncLifetime
{
    public static readonly DateTimeOffset PeriodStart = Utc(3, 1, 0);

    public static readonly DateTimeOffset PeriodEnd = Utc(3, 31, 23);

    public TestApp App { get; private set; } = null!;

    public ComplianceReport Report { get; private set; } = null!;

    /// <summary>Resource names of F1-F6.</summary>
    public List<string> Flagged { get; } = [];

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        var adjustments = App.Adjustments();
        App.Clock.SetUtcNow(Utc(3, 2, 11));
        (string Ethnic, DateTimeOffset? ReviewDue, string[] Categories, string? Impairment, bool Activate)[] plan =
        [
            ("A", Utc(3, 10, 9), ["002"], "1", true),
            ("A", Utc(3, 10, 9), ["002"], "1", true),
            ("A", Utc(3, 10, 9), ["002", "004"], "1", true),
            ("N", Utc(3, 10, 9), ["002", "004"], "1", true),
            ("N", Utc(3, 10, 9), ["002", "004"], "1", true),
            ("N", Utc(9, 1, 9), ["002", "004"], "2", true),
            ("A", Utc(9, 1, 9), ["004"], null, true),
            ("A", null, [], null, false),
            ("A", Utc(9, 1, 9), ["002"], null, true),
        ];
        var patients = new List<Patient>();
        var records = new List<AdjustmentRecord>();
        foreach (var (ethnic, reviewDue, categories, impairment, activate) in plan)
        {
            var patient = await App.CreatePatientAsync(p =>
            {
                p.NhsNumber = AdjustmentTestKit.NextNhsNumber();
                p.EthnicCategory = ethnic;
                p.Sex = Sex.Female;
                p.DateOfBirth = new Google.Type.Date { Year = 1990, Month = 1, Day = 1 };
            });
            var record = await adjustments.IdentifyAsync(patient);
            foreach (var category in categories)
            {
                await adjustments.AddAsync(record, AdjustmentTestKit.Adjustment(category, category == "002" ? AdjustmentTestKit.BslInterpreter : AdjustmentTestKit.EasyRead));
            }

            if (patients.Count == 0)
            {
                // F1 needs two adjustments of category 002: the breakdown counts patients, not items.
                await adjustments.AddAsync(record, AdjustmentTestKit.Adjustment("002", "204341000000103"));
            }

            if (impairment is not null)
            {
                await adjustments.AddAsync(record, AdjustmentTestKit.Impairment(impairment));
            }

            if (activate)
            {
                record = await adjustments.ActivateAdjustmentRecordAsync(new ActivateAdjustmentRecordRequest
                {
                    Name = record.Name,
                    ThresholdConfirmed = true,
                    SharingDecision = new AdjustmentSharingDecision { Decision = AdjustmentSharingDecision.Types.Decision.NotRequired },
                    ReviewDueTime = Timestamp.FromDateTimeOffset(reviewDue!.Value),
                    NhsUser = AdjustmentTestKit.NhsUser(),
                });
            }

            patients.Add(patient);
            records.Add(record);
        }

        App.Clock.SetUtcNow(Utc(3, 2, 12));
        for (var i = 0; i < 8; i++)
        {
            await App.EpisodeAsync(patients[i], Provision.Section2, Utc(3, 2, 10));
            foreach (var kind in new[] { DutyKind.Section1321, DutyKind.Section1322, DutyKind.Section130D })
            {
                // An unmet need cannot end in UNDERSTOOD (Equality Act s20): those attempts are recorded as not understood.
                var unmet = i is 1 or 3;
                await App.ExplainAtAsync(await App.DutyAsync(patients[i], kind), Utc(3, 2, 12), unmet ? AttemptOutcome.NotUnderstood : AttemptOutcome.Understood, a =>
                {
                    foreach (var category in plan[i].Categories)
                    {
                        var met = !unmet || (i == 1 ? category != "002" : category != "004");
                        a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = category, Met = met, Detail = met ? "Provided" : "Not available on the ward" });
                    }
                });
            }
        }

        App.Clock.SetUtcNow(Utc(3, 15, 9));
        await adjustments.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = records[6].Name, RemovalReasonCode = "DoesntApply", RemovalComment = "No longer needed." });

        // F9's episode starts in April, outside the period.
        App.Clock.SetUtcNow(Utc(4, 2, 12));
        await App.EpisodeAsync(patients[8], Provision.Section2, Utc(4, 2, 10));

        Flagged.AddRange(patients.Take(6).Select(p => p.Name));
        App.Clock.SetUtcNow(Utc(4, 5, 12));
        Report = await App.Reports().GetComplianceReportAsync(Request(PeriodStart, PeriodEnd));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
