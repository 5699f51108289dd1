using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>The rights lifecycle scenarios of the MHA office's day, end to end through the gRPC stack.</summary>
public sealed class RightsLifecycleScenarioTests
{
    [Fact]
    public async Task ChangeProvision_S52ToS2ToS3_NewSection132DutyEachTimeAndOldOneSuperseded()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var s52 = await app.StartAsync(patient, Provision.Section52);
        var first = Single(await app.DutiesAsync(patient), DutyKind.Section1321);

        app.Clock.Advance(TimeSpan.FromHours(20));
        var toS2 = await app.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = s52.Name, Provision = Provision.Section2, ChangeTime = Scenario.At(app.Clock.GetUtcNow()) });
        app.Clock.Advance(TimeSpan.FromDays(20));
        var toS3 = await app.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = toS2.CurrentEpisode.Name, Provision = Provision.Section3, ChangeTime = Scenario.At(app.Clock.GetUtcNow()) });

        var duties = await app.DutiesAsync(patient);
        var provisionDuties = duties.Where(d => d.Kind == DutyKind.Section1321).OrderBy(d => d.OpenTime.ToDateTimeOffset()).ToList();
        Assert.Equal([Provision.Section52, Provision.Section2, Provision.Section3], provisionDuties.Select(d => d.Provision));
        Assert.Equal([RightsDuty.Types.State.Superseded, RightsDuty.Types.State.Superseded, RightsDuty.Types.State.Due], provisionDuties.Select(d => d.State));
        Assert.Equal(first.Name, provisionDuties[0].Name);
        Assert.Equal(provisionDuties[1].Name, provisionDuties[0].SupersededBy);
        Assert.Equal(provisionDuties[2].Name, provisionDuties[1].SupersededBy);
        Assert.Equal(DutyTrigger.ChangeOfProvision, provisionDuties[2].Trigger);

        // s132(2) is per hospital: one duty carried through; IMHA (s130D) opens when the patient becomes qualifying at s2.
        Assert.Single(duties, d => d.Kind == DutyKind.Section1322 && d.State == RightsDuty.Types.State.Due);
        var imha = Single(duties, DutyKind.Section130D);
        Assert.Equal(toS2.CurrentEpisode.Name, imha.Episode);

        // The episodes are linked both ways.
        Assert.Equal(toS2.CurrentEpisode.Name, toS2.PreviousEpisode.NextEpisode);
        Assert.Equal(s52.Name, toS2.CurrentEpisode.PreviousEpisode);
        Assert.Equal(LegalStatusEpisode.Types.State.Superseded, toS3.PreviousEpisode.State);
        Assert.Equal("03", toS3.CurrentEpisode.LegalStatusCode);
    }

    [Fact]
    public async Task DeadlineSweeper_S136WithFourHourSla_OverdueAfterFourHoursAndAudited()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section136);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(4), duty.DueTime.ToDateTimeOffset());

        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1));
        Assert.Equal(RightsDuty.Types.State.Due, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).State);

        var swept = await app.AdvanceAndSweepAsync(TimeSpan.FromMinutes(2));
        Assert.True(swept.Overdue >= 1);
        Assert.Equal(RightsDuty.Types.State.Overdue, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).State);

        var events = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = duty.Name, PageSize = 100 })).Events;
        var transition = Assert.Single(events, e => e.Action == "DeadlinePassed");
        Assert.Equal("Due", transition.FromState);
        Assert.Equal("Overdue", transition.ToState);
        Assert.Equal("system", transition.Actor.Principal);
        Assert.Equal(app.Clock.GetUtcNow(), transition.EventTime.ToDateTimeOffset());

        // Sweeping again does nothing more.
        Assert.Equal(0, (await app.AdvanceAndSweepAsync(TimeSpan.FromMinutes(5))).Total);
        var worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsOverdue, Hospital = "RXM01" });
        Assert.Contains(worklist.Items, i => i.Duty.Name == duty.Name && i.PastDue);
    }

    [Fact]
    public async Task CtoRecallAndRevocation_RecallOpensDutyAtRecall_RevocationOpensNewDetentionDuty()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var cto = await app.StartAsync(patient, Provision.CommunityTreatmentOrder, suspended: Provision.Section3);
        app.Clock.Advance(TimeSpan.FromDays(40));
        var recallTime = app.Clock.GetUtcNow();
        var recall = await app.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest
        {
            Name = cto.Name, Hospital = "RXM01", RecallTime = Scenario.At(recallTime),
        });
        var atRecall = (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
        Assert.Equal(DutyTrigger.CtoRecall, atRecall.Trigger);
        Assert.Equal(recallTime, atRecall.OpenTime.ToDateTimeOffset());
        Assert.Equal(recallTime.AddHours(12), atRecall.DueTime.ToDateTimeOffset());
        Assert.Equal(recallTime.AddHours(72), recall.CurrentEpisode.ExpiryTime.ToDateTimeOffset());

        app.Clock.Advance(TimeSpan.FromHours(48));
        var revoked = await app.LegalStatus.RevokeCommunityTreatmentOrderAsync(new RevokeCommunityTreatmentOrderRequest
        {
            Name = recall.CurrentEpisode.Name, RevocationTime = Scenario.At(app.Clock.GetUtcNow()),
        });

        Assert.Equal(Provision.Section3, revoked.CurrentEpisode.Provision);
        var duties = await app.DutiesAsync(patient);
        var detentionDuty = duties.Single(d => d.Kind == DutyKind.Section1321 && d.State == RightsDuty.Types.State.Due);
        Assert.Equal(DutyTrigger.CtoRevoked, detentionDuty.Trigger);
        Assert.Equal(revoked.CurrentEpisode.Name, detentionDuty.Episode);
        Assert.Equal(RightsDuty.Types.State.Superseded, duties.Single(d => d.Name == atRecall.Name).State);
        Assert.Equal(RightsDuty.Types.State.Superseded, duties.Single(d => d.Kind == DutyKind.Section132A).State);
        var episodes = (await app.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = patient.Name })).Episodes;
        Assert.Equal(LegalStatusEpisode.Types.EndReason.CommunityTreatmentOrderRevoked, episodes.Single(e => e.Name == cto.Name).EndReason);
    }

    [Fact]
    public async Task ExplanationAttempt_PatientObjectsToNearestRelativeCopy_CopyNotRequiredAndWhyRecorded()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section3);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);

        await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.NearestRelativeSharing = NearestRelativeSharing.Objects);

        var copies = (await app.DutiesAsync(patient)).Where(d => d.Kind is DutyKind.NearestRelativeCopy132 or DutyKind.NearestRelativeCopy130D).ToList();
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c =>
        {
            Assert.Equal(RightsDuty.Types.State.NotRequired, c.State);
            Assert.Contains("objects", c.ResolutionNote, StringComparison.Ordinal);
        });
        var audit = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = copies[0].Name })).Events;
        Assert.Contains(audit, e => e.ToState == "NotRequired" && e.Reason.Contains("objects", StringComparison.Ordinal));
        var worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.NearestRelativeCopies });
        Assert.Empty(worklist.Items);
    }

    [Fact]
    public async Task RecordNoticeNotRequired_PatientObjects_DutyNotRequiredWithNote()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var copy = Single(await app.DutiesAsync(patient), DutyKind.NearestRelativeCopy132);

        var result = await app.Rights.RecordNoticeNotRequiredAsync(new RecordNoticeNotRequiredRequest
        {
            Name = copy.Name, Reason = RecordNoticeNotRequiredRequest.Types.Reason.PatientObjects, Note = "Does not want her mother told", Etag = copy.Etag,
        });

        Assert.Equal(RightsDuty.Types.State.NotRequired, result.State);
        Assert.Equal("The patient objects: Does not want her mother told", result.ResolutionNote);

        var again = await Assert.ThrowsAsync<RpcException>(() => app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest
        {
            Name = copy.Name, SentTime = Scenario.At(app.Clock.GetUtcNow()), Method = "post",
        }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("INVALID_STATE_TRANSITION", again.ErrorInfo().Reason);
    }

    [Fact]
    public async Task NotUnderstood_ReattemptScheduled_AppearsInWorklistWhenDue_UnderstoodClosesIt()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        app.Clock.Advance(TimeSpan.FromHours(3));

        var first = await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood, a => a.CapacityNote = "Too distressed to take in information");
        Assert.Equal(RightsDuty.Types.State.ReAttemptScheduled, first.Duty.State);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(72), first.Duty.NextAttemptTime.ToDateTimeOffset());
        var transitions = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = duty.Name })).Events
            .Where(e => !string.IsNullOrEmpty(e.FromState)).Select(e => $"{e.FromState}->{e.ToState}").ToList();
        Assert.Equal(["Due->Attempted", "Attempted->ReattemptScheduled"], transitions);

        var notYet = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ReattemptsDue, Hospital = "RXM01", Ward = "ASH" });
        Assert.Empty(notYet.Items);

        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(72));
        var due = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ReattemptsDue, Hospital = "RXM01", Ward = "ASH" });
        var item = Assert.Single(due.Items);
        Assert.Equal(duty.Name, item.Duty.Name);
        Assert.Equal(patient.LocalId, item.PatientLocalId);
        Assert.Empty((await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ReattemptsDue, Ward = "OTHER" })).Items);
        // A re-attempt that is merely scheduled is not overdue: the first attempt was within the SLA.
        Assert.Equal(RightsDuty.Types.State.ReAttemptScheduled, item.Duty.State);

        var second = await app.ExplainAsync(item.Duty, AttemptOutcome.Understood);
        Assert.Equal(RightsDuty.Types.State.Understood, second.Duty.State);
        Assert.Equal(2, second.Duty.AttemptCount);
        Assert.Empty((await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ReattemptsDue })).Items);
    }

    [Fact]
    public async Task RecordExplanationAttempt_StaleEtag_AbortedAndNoAttemptWritten()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, Attempt = Scenario.Attempt(app, AttemptOutcome.Understood), Etag = duty.Etag,
        }).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
    }

    [Fact]
    public async Task VoidAndCorrect_LatestAttempt_OriginalKeptAndDutyRecomputed()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        var recorded = await app.ExplainAsync(duty, AttemptOutcome.Understood);

        var corrected = await app.Rights.CorrectExplanationAttemptAsync(new CorrectExplanationAttemptRequest
        {
            Name = recorded.Attempt.Name,
            Attempt = Scenario.Attempt(app, AttemptOutcome.PartlyUnderstood),
            Reason = "Recorded as understood in error; the patient only partly understood",
        });

        Assert.Equal(recorded.Attempt.Name, corrected.Corrects);
        var original = await app.Rights.GetExplanationAttemptAsync(new GetExplanationAttemptRequest { Name = recorded.Attempt.Name });
        Assert.Equal(ExplanationAttempt.Types.State.Corrected, original.State);
        Assert.Equal(corrected.Name, original.CorrectedBy);
        Assert.Equal(RightsDuty.Types.State.ReAttemptScheduled, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).State);

        var voided = await app.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = corrected.Name, Reason = "Wrong patient" });
        Assert.Equal(ExplanationAttempt.Types.State.Voided, voided.State);
        Assert.Equal(RightsDuty.Types.State.Due, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).State);
        var all = await app.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = duty.Name });
        Assert.Equal(2, all.Attempts.Count);
    }

    [Fact]
    public async Task EndEpisode_Discharge_AllOpenDutiesClosed()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        app.Clock.Advance(TimeSpan.FromDays(10));
        await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
        {
            Name = episode.Name, EndTime = Scenario.At(app.Clock.GetUtcNow()), EndReason = LegalStatusEpisode.Types.EndReason.DischargedByTribunal,
        });

        Assert.Empty(await app.DutiesAsync(patient, openOnly: true));
        Assert.All(await app.DutiesAsync(patient), d => Assert.Equal(RightsDuty.Types.State.Closed, d.State));
        var status = await app.Rights.GetRightsStatusAsync(new GetRightsStatusRequest { Name = patient.Name });
        Assert.Null(status.CurrentEpisode);
    }

    [Fact]
    public async Task PlanDischarge_NotOrderedByNearestRelative_Section133NoticeDueSevenDaysBefore()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3);
        var planned = app.Clock.GetUtcNow().AddDays(14);
        await app.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = episode.Name, PlannedDischargeTime = Scenario.At(planned) });

        var notice = Single(await app.DutiesAsync(patient), DutyKind.Section133DischargeNotice);
        Assert.Equal(planned.AddDays(-7), notice.DueTime.ToDateTimeOffset());
        var worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.DischargeNotices });
        Assert.Equal(notice.Name, Assert.Single(worklist.Items).Duty.Name);

        var sent = await app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = notice.Name, SentTime = Scenario.At(app.Clock.GetUtcNow()), Method = "post" });
        Assert.Equal(RightsDuty.Types.State.Sent, sent.State);
        Assert.Equal("Sent by post to Sam Test.", sent.ResolutionNote);
    }

    private static RightsDuty Single(IEnumerable<RightsDuty> duties, DutyKind kind) => Assert.Single(duties, d => d.Kind == kind);
}
