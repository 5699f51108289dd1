using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// Reproducible past reports: a report "as of" an earlier time gives the answer it gave then, whatever was recorded,
/// corrected or voided afterwards. Eight section 2 episodes start 2026-03-01 10:00 (SLA deadline 03-02 10:00;
/// nearest-relative copies due 03-08 10:00):
/// <code>
/// 03-01 12:00  P1-P7 explained (understood) at 12:00, recorded at once; P1-P3 copies sent and recorded.
/// 03-11 09:00  P8's explanation at 03-01 13:00 recorded late; P4-P8 copies recorded as sent on 03-05.
/// 03-12 09:00  P1's attempt corrected: it was really at 03-02 16:00 (30h, late).
/// 03-13 09:00  P2's attempt voided (recorded against the wrong patient).
/// 03-20 12:00  reports run.
/// </code>
/// </summary>
public sealed class ComplianceReportAsOfTests(AsOfDataset data) : IClassFixture<AsOfDataset>
{
    [Fact]
    public async Task AsOfBeforeTheCorrection_AfterTheCorrection_GivesTheEarlierAnswer()
    {
        // 03-10: P1-P7 within; P8's attempt was not recorded yet.
        var before = await ReportAsync(Utc(3, 10, 0));
        Assert.Equal("7/8", before.Measure("initial_within_sla").Headline());
        Assert.Equal("7/8 median 2 p90 2", before.Measure("hours_to_first_attempt").Headline());
        Assert.Contains(before.Notes, n => n.StartsWith("Computed as of 2026-03-10 00:00 (GMT) from the audit history", StringComparison.Ordinal));
        Assert.Equal(Utc(3, 10, 0), before.AsOfTime.ToDateTimeOffset());

        // Today: P1 late (corrected), P2 has no standing attempt (voided), P3-P8 within.
        var now = await data.App.Reports().GetComplianceReportAsync(Request(AsOfDataset.PeriodStart, AsOfDataset.PeriodEnd));
        Assert.Equal("6/8", now.Measure("initial_within_sla").Headline());
        // 2 2 2 2 2 3 30: median 2, p90 at 5.4 = 3 + 0.4 × 27 = 13.8.
        Assert.Equal("7/8 median 2 p90 13.8", now.Measure("hours_to_first_attempt").Headline());

        // Asking again for 03-10 after the correction and the void: the same answer as before.
        var again = await ReportAsync(Utc(3, 10, 0));
        Assert.Equal("7/8", again.Measure("initial_within_sla").Headline());
        Assert.Equal("7/8 median 2 p90 2", again.Measure("hours_to_first_attempt").Headline());
    }

    [Fact]
    public async Task AsOfBetweenRecordings_LateRecordingCountsFromWhenItWasRecorded()
    {
        // 03-11 12:00: P8 recorded, nothing corrected or voided yet.
        var report = await ReportAsync(Utc(3, 11, 12));
        Assert.Equal("8/8", report.Measure("initial_within_sla").Headline());
        Assert.Equal("8/8 median 2 p90 2.3", report.Measure("hours_to_first_attempt").Headline());
    }

    [Fact]
    public async Task AsOfAfterCorrectionBeforeVoid_CorrectedAttemptReplacedVoidedStillStanding()
    {
        // 03-12 12:00: P1 is late (the correction stands), P2's attempt still stands.
        var report = await ReportAsync(Utc(3, 12, 12));
        Assert.Equal("7/8", report.Measure("initial_within_sla").Headline());
        // 2 2 2 2 2 2 3 30: median 2, p90 at 6.3 = 3 + 0.3 × 27 = 11.1.
        Assert.Equal("8/8 median 2 p90 11.1", report.Measure("hours_to_first_attempt").Headline());
    }

    [Fact]
    public async Task NearestRelativeCopies_RecordedLaterAsSentEarlier_NotSentAsOfBeforeTheRecording()
    {
        // The copies of P4-P8 were sent on 03-05 but recorded on 03-11: on 03-10 the record showed 6 of 16.
        Assert.Equal("6/16", (await ReportAsync(Utc(3, 10, 0))).Measure("nr_copy_sent_or_objection").Headline());
        Assert.Equal("16/16", (await ReportAsync(Utc(3, 11, 12))).Measure("nr_copy_sent_or_objection").Headline());
    }

    [Fact]
    public async Task AsOfBeforeTheEpisodesWereRecorded_NothingInScope()
    {
        var report = await ReportAsync(Utc(3, 1, 9));
        Assert.All(report.Measures, m => Assert.True(m.Suppressed));
        Assert.Equal(0, report.Measure("initial_within_sla").Denominator);
    }

    private Task<ComplianceReport> ReportAsync(DateTimeOffset asOf) =>
        data.App.Reports().GetComplianceReportAsync(Request(AsOfDataset.PeriodStart, AsOfDataset.PeriodEnd, asOf)).ResponseAsync;
}

/// <summary>The as-of dataset (see <see cref="ComplianceReportAsOfTests"/>), built once for the class.</summary>
public sealed class AsOfDataset : IAsyncLifetime
{
    public static readonly DateTimeOffset PeriodStart = Utc(3, 1, 0);

    public static readonly DateTimeOffset PeriodEnd = Utc(3, 31, 23);

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        var start = Utc(3, 1, 10);
        var patients = new List<Patient>();
        var attempts = new List<ExplanationAttempt>();
        App.Clock.SetUtcNow(Utc(3, 1, 12));
        for (var i = 0; i < 8; i++)
        {
            var patient = await App.PatientAsync("A", Sex.Female, new DateOnly(1990, 1, 1));
            await App.EpisodeAsync(patient, Provision.Section2, start);
            patients.Add(patient);
            if (i < 7)
            {
                attempts.Add(await App.ExplainAtAsync(await App.DutyAsync(patient, DutyKind.Section1321), Utc(3, 1, 12), AttemptOutcome.Understood));
            }

            if (i < 3)
            {
                await SendCopiesAsync(patient, Utc(3, 1, 12));
            }
        }

        App.Clock.SetUtcNow(Utc(3, 11, 9));
        await App.ExplainAtAsync(await App.DutyAsync(patients[7], DutyKind.Section1321), Utc(3, 1, 13), AttemptOutcome.Understood);
        for (var i = 3; i < 8; i++)
        {
            await SendCopiesAsync(patients[i], Utc(3, 5, 10));
        }

        App.Clock.SetUtcNow(Utc(3, 12, 9));
        await App.Rights.CorrectExplanationAttemptAsync(new CorrectExplanationAttemptRequest
        {
            Name = attempts[0].Name,
            Reason = "The explanation was given the next afternoon; the time was mistyped.",
            Attempt = Scenario.Attempt(App, AttemptOutcome.Understood, Utc(3, 2, 16)),
        });

        App.Clock.SetUtcNow(Utc(3, 13, 9));
        await App.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = attempts[1].Name, Reason = "Recorded against the wrong patient." });

        App.Clock.SetUtcNow(Utc(3, 20, 12));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    private async Task SendCopiesAsync(Patient patient, DateTimeOffset sent)
    {
        await App.SendNoticeAsync(await App.DutyAsync(patient, DutyKind.NearestRelativeCopy132), sent);
        await App.SendNoticeAsync(await App.DutyAsync(patient, DutyKind.NearestRelativeCopy130D), sent);
    }
}
