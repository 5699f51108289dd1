using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>
/// The link of the two duties (issue 4 item 7): a rights briefing lists the patient's communication adjustments and an
/// explanation attempt must say how each was met (Equality Act 2010 s20 auxiliary aids; section-132.md §2.6).
/// </summary>
public sealed class CommunicationNeedsTests
{
    [Fact]
    public async Task Briefing_PatientNeedingBslInterpreter_ListsThatNeed()
    {
        await using var app = await TestApp.StartAsync();
        var (patient, record) = await app.ActiveRecordAsync();
        await app.Adjustments().AddAsync(record, Adjustment("002", BslInterpreter));
        await app.Adjustments().AddAsync(record, Adjustment("008", ExtendedAppointment));
        await app.StartAsync(patient, Provision.Section2);

        var briefing = await app.Rights.GetRightsBriefingAsync(new GetRightsBriefingRequest { Name = patient.Name });

        var need = Assert.Single(briefing.CommunicationNeeds);
        Assert.Equal(("002", "Requires communication professional", BslInterpreter, "British Sign Language interpreter needed"), (need.CategoryCode, need.CategoryDisplay, need.SnomedCode, need.Display));
        Assert.NotEmpty(briefing.OpenDuties);
    }

    [Fact]
    public async Task RecordAttempt_BslNeedNotAddressed_RefusedWithClearErrorThenAcceptedWhenAnswered()
    {
        await using var app = await TestApp.StartAsync();
        var (patient, record) = await app.ActiveRecordAsync();
        await app.Adjustments().AddAsync(record, Adjustment("002", BslInterpreter));
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).First(d => d.Kind == DutyKind.Section1321);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.ExplainAsync(duty, AttemptOutcome.Understood));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("COMMUNICATION_NEED_UNADDRESSED", ex.ErrorInfo().Reason);
        Assert.Contains("British Sign Language interpreter needed", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("attempt.communication_needs", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync("ExplanationAttempts"));

        var recorded = await app.ExplainAsync(duty, AttemptOutcome.Understood, a =>
        {
            a.InterpreterUsed = true;
            a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "002", Met = true, Detail = "BSL interpreter J. Smith, NRCPD 12345" });
        });
        Assert.Equal(RightsDuty.Types.State.Understood, recorded.Duty.State);
    }

    [Fact]
    public async Task Needs_IdentifiedOrRemovedRecordOrRemovedItem_NotListed()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        var identified = await client.IdentifyAsync(patient);
        var item = await client.AddAsync(identified, Adjustment("004", EasyRead));
        await app.StartAsync(patient, Provision.Section2);

        // Needs of an identified record are shown marked unconfirmed (issue 14); count the confirmed ones.
        async Task<int> NeedsAsync() => (await app.Rights.GetRightsBriefingAsync(new GetRightsBriefingRequest { Name = patient.Name })).CommunicationNeeds.Count(n => !n.Unconfirmed);

        Assert.Equal(0, await NeedsAsync());
        await client.ActivateAsync(identified);
        Assert.Equal(1, await NeedsAsync());
        await client.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = item.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Reads standard print." });
        Assert.Equal(0, await NeedsAsync());
        await client.AddAsync(identified, Adjustment("004", EasyRead));
        Assert.Equal(1, await NeedsAsync());
        await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = identified.Name, RemovalReasonCode = "PatientDissent", RemovalComment = "Patient objects to the flag." });
        Assert.Equal(0, await NeedsAsync());
    }

    [Fact]
    public async Task RecordAttempt_NeedNotMetWithReason_AcceptedAndCountedAsUnmet()
    {
        await using var app = await TestApp.StartAsync();
        var (patient, record) = await app.ActiveRecordAsync();
        await app.Adjustments().AddAsync(record, Adjustment("002", BslInterpreter));
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).First(d => d.Kind == DutyKind.Section1321);

        var recorded = await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood, a =>
            a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "002", Met = false, Detail = "No BSL interpreter available out of hours; booked for 09:00." }));

        var answer = Assert.Single(recorded.Attempt.CommunicationNeeds);
        Assert.False(answer.Met);
        Assert.Equal(RightsDuty.Types.State.ReAttemptScheduled, recorded.Duty.State);
    }
}
