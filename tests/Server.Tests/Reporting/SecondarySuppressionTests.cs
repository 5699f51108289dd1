using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;
using Dimension = MhaRights.Contracts.V1.BreakdownDimension;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// Small-number suppression through the report API (issue 14): a suppressed group is never recoverable by
/// subtracting the visible groups from the headline (secondary suppression); a headline whose numerator alone is small
/// is shown unless the trust's rule (Policy:SuppressHeadlineOnSmallNumerator) says otherwise; and an s133 notice
/// missed by an early discharge counts in s133_notice_on_time from the discharge.
/// </summary>
public sealed class SecondarySuppressionTests
{
    private static readonly DateTimeOffset Start = Utc(3, 2, 10);

    [Fact]
    public async Task Headline_OnlyNumeratorSmall_ShownByDefaultAndEveryGroupWithheld()
    {
        await using var app = await TestApp.StartAsync(Utc(3, 2, 13));
        await TwoOfSixExplainedAsync(app);

        var m = (await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0)))).Measure("initial_within_sla");

        Assert.Equal("2/6", m.Headline());
        Assert.Equal("MALE=S", m.Rows(Dimension.Sex));
        Assert.Equal("PROVISION_SECTION_3=S", m.Rows(Dimension.Provision));
    }

    [Fact]
    public async Task Headline_OnlyNumeratorSmall_TrustRuleSaysSuppress_Withheld()
    {
        await using var app = await TestApp.StartAsync(Utc(3, 2, 13), "--Policy:SuppressHeadlineOnSmallNumerator=true");
        await TwoOfSixExplainedAsync(app);

        var report = await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0)));

        Assert.Equal("S", report.Measure("initial_within_sla").Headline());
        Assert.Contains(report.Notes, n => n.Contains("(trust setting)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Breakdown_OneSexGroupSmall_ComplementaryGroupWithheldToo()
    {
        await using var app = await TestApp.StartAsync(Utc(3, 2, 13));
        for (var i = 0; i < 8; i++)
        {
            var patient = await app.PatientAsync("A", i < 6 ? Sex.Male : Sex.Female, new DateOnly(1980, 1, 1));
            await app.EpisodeAsync(patient, Provision.Section3, Start);
            await app.ExplainAtAsync(await app.DutyAsync(patient, DutyKind.Section1321), Start.AddHours(2), AttemptOutcome.Understood);
        }

        app.Clock.SetUtcNow(Utc(3, 10, 9));
        var m = (await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0)))).Measure("initial_within_sla");

        // 8/8 - MALE 6/6 would reveal FEMALE 2/2, so MALE is withheld too.
        Assert.Equal("8/8", m.Headline());
        Assert.Equal("MALE=S2; FEMALE=S", m.Rows(Dimension.Sex));
    }

    [Fact]
    public async Task Section133_DischargedBeforeTheNoticeWasDue_CountedAsNotOnTimeAtOnce()
    {
        await using var app = await TestApp.StartAsync(Utc(3, 2, 13));
        var episodes = new List<LegalStatusEpisode>();
        for (var i = 0; i < 5; i++)
        {
            episodes.Add(await app.EpisodeAsync(await app.PatientAsync("A", Sex.Male, new DateOnly(1980, 1, 1)), Provision.Section3, Start));
        }

        app.Clock.SetUtcNow(Utc(3, 3, 10));
        foreach (var episode in episodes)
        {
            await app.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = episode.Name, PlannedDischargeTime = Scenario.At(Utc(3, 20, 10)) });
        }

        // Discharged on 03-04, nine days before the notices were due (03-13), none sent.
        app.Clock.SetUtcNow(Utc(3, 4, 11));
        foreach (var episode in episodes)
        {
            await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
            {
                Name = episode.Name, EndTime = Scenario.At(Utc(3, 4, 10)), EndReason = LegalStatusEpisode.Types.EndReason.DischargedByTribunal,
            });
        }

        // Before the notices' original due date (03-13): the misses already count.
        app.Clock.SetUtcNow(Utc(3, 5, 9));
        var m = (await app.Reports().GetComplianceReportAsync(Request(Utc(3, 1, 0), Utc(4, 1, 0)))).Measure("s133_notice_on_time");

        Assert.Equal("0/5", m.Headline());
    }

    /// <summary>Six s3 patients from 03-02 10:00; two explained at 12:00, four never; the report runs on 03-10.</summary>
    private static async Task TwoOfSixExplainedAsync(TestApp app)
    {
        for (var i = 0; i < 6; i++)
        {
            var patient = await app.PatientAsync("A", Sex.Male, new DateOnly(1980, 1, 1));
            await app.EpisodeAsync(patient, Provision.Section3, Start);
            if (i < 2)
            {
                await app.ExplainAtAsync(await app.DutyAsync(patient, DutyKind.Section1321), Start.AddHours(2), AttemptOutcome.Understood);
            }
        }

        app.Clock.SetUtcNow(Utc(3, 10, 9));
    }
}
