using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;

namespace MhaRights.Server.Tests.Rights;

/// <summary>
/// Equality Act 2010 s20 with s132(1) "ensure that the patient understands": information given without the
/// adjustment the patient needs (interpreter, BSL, easy read...) cannot be recorded as understood
/// (section-132.md §2.6; reasonable-adjustments.md). Refused with FAILED_PRECONDITION, nothing written.
/// </summary>
public sealed class CommunicationNeedsUnderstandingTests
{
    [Fact]
    public async Task Understood_BslNeedRecordedAsNotMet_RefusedAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var (patient, record) = await app.ActiveRecordAsync();
        await app.Adjustments().AddAsync(record, Adjustment("002", BslInterpreter));
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).First(d => d.Kind == DutyKind.Section1321);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.ExplainAsync(duty, AttemptOutcome.Understood, a =>
            a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "002", Met = false, Detail = "No interpreter; patient nodded." })));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("COMMUNICATION_NEED_NOT_MET", ex.ErrorInfo().Metadata["rule"]);
        Assert.Contains("cannot be UNDERSTOOD while a communication need was not met", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync("ExplanationAttempts"));
        Assert.Equal(RightsDuty.Types.State.Due, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).State);
    }

    [Fact]
    public async Task Understood_PatientNeedsInterpreterButNoneUsed_RefusedThenNotUnderstoodSchedulesReattempt()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync(p =>
        {
            p.PreferredLanguage = "pl";
            p.InterpreterNeeded = true;
        });
        await app.StartAsync(patient, Provision.Section3);
        var duty = (await app.DutiesAsync(patient)).First(d => d.Kind == DutyKind.Section1321);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.ExplainAsync(duty, AttemptOutcome.Understood));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("interpreter is needed", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync("ExplanationAttempts"));

        var notUnderstood = await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood);
        Assert.Equal(RightsDuty.Types.State.ReAttemptScheduled, notUnderstood.Duty.State);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var withInterpreter = await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.InterpreterUsed = true);
        Assert.Equal(RightsDuty.Types.State.Understood, withInterpreter.Duty.State);
    }

    [Fact]
    public async Task Briefing_NeedOnIdentifiedRecord_ShownMarkedUnconfirmedAndNotRequiredOnAttempt()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        var identified = await client.IdentifyAsync(patient);
        await client.AddAsync(identified, Adjustment("004", EasyRead));
        await app.StartAsync(patient, Provision.Section2);

        var briefing = await app.Rights.GetRightsBriefingAsync(new GetRightsBriefingRequest { Name = patient.Name });

        var need = Assert.Single(briefing.CommunicationNeeds);
        Assert.Equal(("004", EasyRead, true), (need.CategoryCode, need.SnomedCode, need.Unconfirmed));
        // Not yet confirmed: an attempt need not answer it.
        var duty = briefing.OpenDuties.First(d => d.Kind == DutyKind.Section1321);
        Assert.Equal(RightsDuty.Types.State.Understood, (await app.ExplainAsync(duty, AttemptOutcome.Understood)).Duty.State);

        await client.ActivateAsync(identified);
        var confirmed = Assert.Single((await app.Rights.GetRightsBriefingAsync(new GetRightsBriefingRequest { Name = patient.Name })).CommunicationNeeds);
        Assert.False(confirmed.Unconfirmed);
    }
}
