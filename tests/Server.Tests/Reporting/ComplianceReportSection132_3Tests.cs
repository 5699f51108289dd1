using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// s132(3) in the compliance report: a patient who understood a talk but had no leaflet has not yet been given the
/// information the Act requires, so hours_to_understanding runs to the attempt that completed oral and written, on both
/// report paths (the current-record scan and the audit-history path as of a time).
/// </summary>
public sealed class ComplianceReportSection132_3Tests
{
    [Fact]
    public async Task Section132_3_UnderstoodOrallyThenLeafletLater_UnderstandingCountsFromTheLeaflet()
    {
        await using var app = await TestApp.StartAsync(now: Utc(3, 2, 10));
        // Six s2 admissions at 10:00: understood orally at 12:00 (2 h) with no leaflet; the leaflet at 16:00 (6 h).
        var duties = await AdmitSixAsync(app);
        app.Clock.SetUtcNow(Utc(3, 2, 12));
        foreach (var duty in duties)
        {
            await app.ExplainAtAsync(duty, Utc(3, 2, 12), AttemptOutcome.Understood, a => a.WrittenGiven = false);
        }

        app.Clock.SetUtcNow(Utc(3, 2, 16));
        foreach (var duty in duties)
        {
            await app.ExplainAtAsync(duty, Utc(3, 2, 16), AttemptOutcome.Understood, a => a.OralGiven = false);
        }

        app.Clock.SetUtcNow(Utc(4, 10, 12));
        var request = Request(Utc(3, 1, 0), Utc(4, 1, 0));
        var current = await app.Reports().GetComplianceReportAsync(request);
        var asOf = await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0), app.Clock.GetUtcNow()));

        Assert.Equal("6/6 median 6 p90 6", current.Measure("hours_to_understanding").Headline());
        Assert.Equal("6/6 median 6 p90 6", asOf.Measure("hours_to_understanding").Headline());
        // The first attempt was still at 2 h.
        Assert.Equal("6/6 median 2 p90 2", current.Measure("hours_to_first_attempt").Headline());
    }

    [Fact]
    public async Task Section132_3_OneUnderstoodOrallyNeverInWriting_NotCountedAsUnderstood()
    {
        await using var app = await TestApp.StartAsync(now: Utc(3, 2, 10));
        var duties = await AdmitSixAsync(app);
        app.Clock.SetUtcNow(Utc(3, 2, 12));
        for (var i = 0; i < duties.Count; i++)
        {
            var withLeaflet = i > 0;
            await app.ExplainAtAsync(duties[i], Utc(3, 2, 12), AttemptOutcome.Understood, a => a.WrittenGiven = withLeaflet);
        }

        app.Clock.SetUtcNow(Utc(4, 10, 12));
        var current = await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0)));
        var asOf = await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0), app.Clock.GetUtcNow()));

        // Five had the leaflet with the talk; the sixth understood a talk alone and is not counted as understanding.
        Assert.Equal("5/6 median 2 p90 2", current.Measure("hours_to_understanding").Headline());
        Assert.Equal(current.Measure("hours_to_understanding").Headline(), asOf.Measure("hours_to_understanding").Headline());
    }

    /// <summary>Six s2 admissions at 10:00 on 2 March; their s132(1) duties.</summary>
    private static async Task<List<RightsDuty>> AdmitSixAsync(TestApp app)
    {
        var duties = new List<RightsDuty>();
        for (var i = 0; i < 6; i++)
        {
            var patient = await app.PatientAsync("A", Sex.Male, new DateOnly(1980, 1, 1));
            await app.EpisodeAsync(patient, Provision.Section2, Utc(3, 2, 10));
            duties.Add(await app.DutyAsync(patient, DutyKind.Section1321));
        }

        return duties;
    }
}
