using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>
/// s133: the nearest relative is told of a discharge at least 7 days before, if practicable (section-132.md §1.4).
/// A discharge that comes before the notice was sent is a miss the record must show, not a silent close.
/// </summary>
public sealed class Section133NoticeTests
{
    [Fact]
    public async Task Section133_DischargedEarlyBeforeNoticeSent_NoticeMissedAndOnTheWorklist()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        await app.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = episode.Name, PlannedDischargeTime = Scenario.At(app.Clock.GetUtcNow().AddDays(14)) });
        var notice = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.Section133DischargeNotice);

        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
        {
            Name = episode.Name, EndTime = Scenario.At(app.Clock.GetUtcNow()), EndReason = LegalStatusEpisode.Types.EndReason.DischargedByTribunal,
        });

        var missed = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = notice.Name });
        Assert.Equal(RightsDuty.Types.State.Missed, missed.State);
        Assert.StartsWith("Missed: discharged on", missed.ResolutionNote, StringComparison.Ordinal);
        Assert.Equal(app.Clock.GetUtcNow(), missed.ResolvedTime.ToDateTimeOffset());
        Assert.Equal(["RecordNoticeSent"], missed.PermittedActions);
        var worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.DischargeNotices });
        Assert.Contains(worklist.Items, i => i.Duty.Name == notice.Name && i.Duty.State == RightsDuty.Types.State.Missed);
        var audit = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = notice.Name, PageSize = 100 })).Events;
        Assert.Contains(audit, e => e.Action == "DischargedBeforeNotice" && e.ToState == "Missed");

        // A late notice can still be recorded; it leaves the worklist.
        app.Clock.Advance(TimeSpan.FromDays(1));
        var late = await app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = notice.Name, SentTime = Scenario.At(app.Clock.GetUtcNow()), Method = "post" });
        Assert.Equal(RightsDuty.Types.State.Sent, late.State);
        worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.DischargeNotices });
        Assert.DoesNotContain(worklist.Items, i => i.Duty.Name == notice.Name);
    }

    [Fact]
    public async Task Section133_NoticeSentBeforeDischarge_StaysSent()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        await app.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = episode.Name, PlannedDischargeTime = Scenario.At(app.Clock.GetUtcNow().AddDays(14)) });
        var notice = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.Section133DischargeNotice);
        await app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = notice.Name, SentTime = Scenario.At(app.Clock.GetUtcNow()), Method = "post" });

        app.Clock.Advance(TimeSpan.FromDays(14));
        await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
        {
            Name = episode.Name, EndTime = Scenario.At(app.Clock.GetUtcNow()), EndReason = LegalStatusEpisode.Types.EndReason.DischargedByTribunal,
        });

        Assert.Equal(RightsDuty.Types.State.Sent, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = notice.Name })).State);
    }
}
