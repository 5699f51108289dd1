using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>
/// s132(3): the information must be given "both orally and in writing" (section-132.md §1.1; s132A(2), s130D(4) the
/// same). Understanding alone does not meet the duty; the two modes may come from one attempt or from several.
/// </summary>
public sealed class Section132_3OralAndWrittenTests
{
    [Fact]
    public async Task Section132_3_OralOnly_DutyStaysOpenAndWorklistSaysWrittenMissing()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section3);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);

        var oral = await app.ExplainAsync(duty, AttemptOutcome.Understood, OralOnly);

        Assert.Equal(RightsDuty.Types.State.Due, oral.Duty.State);
        Assert.Null(oral.Duty.UnderstoodTime);
        Assert.NotNull(oral.Duty.OralGivenTime);
        Assert.Null(oral.Duty.WrittenGivenTime);
        Assert.Equal([InformationMode.Written], oral.Duty.OutstandingInformation);
        var worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, Hospital = "RXM01" });
        var item = Assert.Single(worklist.Items, i => i.Duty.Name == duty.Name);
        Assert.Equal([InformationMode.Written], item.Duty.OutstandingInformation);
        var audit = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = duty.Name, PageSize = 100 })).Events;
        Assert.Contains(audit, e => e.Action == "ExplanationIncomplete" && e.Reason.Contains("in writing (s132(3))", StringComparison.Ordinal));

        // The leaflet given later completes the duty.
        app.Clock.Advance(TimeSpan.FromHours(2));
        var written = await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.OralGiven = false);
        Assert.Equal(RightsDuty.Types.State.Understood, written.Duty.State);
        Assert.Empty(written.Duty.OutstandingInformation);
        Assert.Equal(app.Clock.GetUtcNow(), written.Duty.UnderstoodTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task Section132_3_OralOnlyUntilTheDeadline_DutyOverdue()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);

        await app.ExplainAsync(duty, AttemptOutcome.Understood, OralOnly);
        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(25));

        var after = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(RightsDuty.Types.State.Overdue, after.State);
        Assert.Equal([InformationMode.Written], after.OutstandingInformation);
    }

    [Fact]
    public async Task Section132_3_WrittenThenOralAcrossAttempts_Understood()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1322);

        var first = await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood, a => a.OralGiven = false);
        Assert.Equal(RightsDuty.Types.State.ReAttemptScheduled, first.Duty.State);
        Assert.Equal([InformationMode.Oral], first.Duty.OutstandingInformation);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var second = await app.ExplainAsync(duty, AttemptOutcome.Understood, OralOnly);
        Assert.Equal(RightsDuty.Types.State.Understood, second.Duty.State);
        Assert.Empty(second.Duty.OutstandingInformation);
    }

    [Fact]
    public async Task Section132_3_VoidTheOnlyWrittenAttempt_DutyReopensWithWrittenMissing()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section3);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood, OralOnly);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var complete = await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.OralGiven = false);
        Assert.Equal(RightsDuty.Types.State.Understood, complete.Duty.State);

        await app.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = complete.Attempt.Name, Reason = "Leaflet was for the wrong section." });

        var after = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.NotEqual(RightsDuty.Types.State.Understood, after.State);
        Assert.Null(after.WrittenGivenTime);
        Assert.Equal([InformationMode.Written], after.OutstandingInformation);
    }

    private static void OralOnly(ExplanationAttempt a)
    {
        a.WrittenGiven = false;
        a.LeafletId = string.Empty;
    }

    private static RightsDuty Single(IEnumerable<RightsDuty> duties, DutyKind kind) => Assert.Single(duties, d => d.Kind == kind);
}
