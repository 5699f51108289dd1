using MhaRights.Contracts.V1;
using Microsoft.Extensions.DependencyInjection;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>
/// Dated re-explanation triggers: renewal, tribunal windows and automatic references land on the right instants,
/// computed on the Europe/London calendar across the clock changes (section-132.md §3.2, §3.3, §8.4).
/// </summary>
public sealed class ReexplanationScheduleTests
{
    [Fact]
    public async Task RenewalAndTribunalWindows_S3StartedInGmt_ReexplanationRaisedOnRightDatesAcrossBst()
    {
        // 1 March 2026 10:00 GMT. The first 6-month period ends at local midnight starting 1 September (BST).
        await using var app = await TestApp.StartAsync(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        Assert.Equal(new DateTimeOffset(2026, 8, 31, 23, 0, 0, TimeSpan.Zero), episode.ExpiryTime.ToDateTimeOffset());
        Assert.Equal("2026-03-01 10:00 (GMT)", episode.StartTimeLocal);
        Assert.Equal("2026-09-01 00:00 (BST)", episode.ExpiryTimeLocal);
        var duty = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.Section1321);
        duty = (await app.ExplainAsync(duty, AttemptOutcome.Understood)).Duty;
        // DHCFT periodic reminder: 3 months on the local calendar, same wall-clock time (10:00 GMT -> 10:00 BST).
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), duty.NextReminderTime.ToDateTimeOffset());

        // Renewal report on 15 August (BST): re-explanation due within the 24-hour SLA.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 8, 15, 9, 0, 0, TimeSpan.Zero));
        await app.Services.GetRequiredService<MhaRights.Server.Rights.DeadlineSweeper>().SweepAsync();
        duty = await Explain(app, duty);
        var renewed = await app.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = episode.Name, RenewalTime = Scenario.At(app.Clock.GetUtcNow()) });
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), renewed.ExpiryTime.ToDateTimeOffset());
        duty = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(RightsDuty.Types.State.ReminderDue, duty.State);
        Assert.Equal(DutyTrigger.Renewal, duty.LastTrigger);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(24), duty.DueTime.ToDateTimeOffset());
        duty = await Explain(app, duty);

        // The second-period tribunal window (and the s68(2) reference) open at 00:00 BST on 1 September = 23:00Z.
        var windowOpens = new DateTimeOffset(2026, 8, 31, 23, 0, 0, TimeSpan.Zero);
        app.Clock.SetUtcNow(windowOpens.AddMinutes(-1));
        await app.Services.GetRequiredService<MhaRights.Server.Rights.DeadlineSweeper>().SweepAsync();
        Assert.Equal(RightsDuty.Types.State.Understood, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).State);

        await app.AdvanceAndSweepAsync(TimeSpan.FromMinutes(1));
        duty = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(RightsDuty.Types.State.ReminderDue, duty.State);
        Assert.Equal(windowOpens.AddHours(24), duty.DueTime.ToDateTimeOffset());
        var raised = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = duty.Name, PageSize = 200 })).Events
            .Where(e => e.Trigger is "TribunalWindow" or "AutomaticReference" or "Renewal")
            .Select(e => e.Trigger)
            .ToList();
        Assert.Contains("Renewal", raised);
        Assert.Contains("TribunalWindow", raised);
        Assert.Contains("AutomaticReference", raised);

        // Second renewal (in GMT again): the next window opens at 00:00 GMT on 1 March 2027.
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero));
        await app.Services.GetRequiredService<MhaRights.Server.Rights.DeadlineSweeper>().SweepAsync();
        renewed = await app.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = episode.Name, RenewalTime = Scenario.At(app.Clock.GetUtcNow()) });
        Assert.Equal(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero), renewed.ExpiryTime.ToDateTimeOffset());
        duty = await Explain(app, await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name }));
        await app.AdvanceAndSweepAsync(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero) - app.Clock.GetUtcNow());
        duty = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(DutyTrigger.TribunalWindow, duty.LastTrigger);
        Assert.Equal(new DateTimeOffset(2027, 3, 2, 0, 0, 0, TimeSpan.Zero), duty.DueTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task RenewEpisode_OutsideLastTwoMonths_InvalidArgumentNamesRenewalTime()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        app.Clock.Advance(TimeSpan.FromDays(30));
        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => app.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest
        {
            Name = episode.Name, RenewalTime = Scenario.At(app.Clock.GetUtcNow()),
        }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("renewal_time", Assert.Single(ex.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task RecordMedicationStart_ThreeMonthsLater_Part4ReexplanationRaised()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        var duty = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.Section1321);
        await app.ExplainAsync(duty, AttemptOutcome.Understood);
        await app.LegalStatus.RecordMedicationStartAsync(new RecordMedicationStartRequest { Name = episode.Name, FirstMedicationTime = Scenario.At(app.Clock.GetUtcNow()) });

        // 1 March 10:00 GMT + 3 months = the Part 4 point at local midnight starting 1 June (BST) = 31 May 23:00Z.
        await app.AdvanceAndSweepAsync(new DateTimeOffset(2026, 5, 31, 23, 0, 0, TimeSpan.Zero) - app.Clock.GetUtcNow());
        duty = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(RightsDuty.Types.State.ReminderDue, duty.State);
        Assert.Equal(DutyTrigger.Part4ThreeMonths, duty.LastTrigger);
    }

    [Fact]
    public async Task DeadlineSweeper_TwoServerInstancesOnOneDatabase_NoDoubleTransition()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);
        const int patients = 25;
        for (var i = 0; i < patients; i++)
        {
            var patient = await first.CreatePatientAsync();
            await first.StartAsync(patient, Provision.Section136);
        }

        first.Clock.Advance(TimeSpan.FromHours(5));
        second.Clock.Advance(TimeSpan.FromHours(5));
        var sweeps = await Task.WhenAll(
            first.Services.GetRequiredService<MhaRights.Server.Rights.DeadlineSweeper>().SweepAsync(),
            second.Services.GetRequiredService<MhaRights.Server.Rights.DeadlineSweeper>().SweepAsync());

        // s132(1) and s132(2) have a 4-hour SLA for s136; the nearest-relative copy (7 days) is not yet due.
        Assert.Equal(patients * 2, sweeps.Sum(s => s.Overdue));
        var audit = await first.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { PageSize = 1000 });
        Assert.Equal(patients * 2, audit.Events.Count(e => e.Action == "DeadlinePassed"));
        Assert.True((await first.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    private static async Task<RightsDuty> Explain(TestApp app, RightsDuty duty)
    {
        var result = await app.ExplainAsync(duty, AttemptOutcome.Understood);
        Assert.Equal(RightsDuty.Types.State.Understood, result.Duty.State);
        return result.Duty;
    }
}
