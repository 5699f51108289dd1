using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>
/// s132(4) / s130D(5): the nearest relative gets a copy of the written information "except where the patient
/// otherwise requests" (section-132.md §1.1, §1.3), so the patient is asked first and the answer is kept.
/// </summary>
public sealed class NearestRelativeTests
{
    [Fact]
    public async Task Section132_4_CopySentBeforePatientAsked_FailedPreconditionAndCopyStaysDue()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var copy = Single(await app.DutiesAsync(patient), DutyKind.NearestRelativeCopy132);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest
        {
            Name = copy.Name, SentTime = Scenario.At(app.Clock.GetUtcNow()), Method = "post",
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("NEAREST_RELATIVE_OBJECTION_NOT_ASKED", ex.ErrorInfo().Metadata["rule"]);
        Assert.Contains("has not been asked whether they object", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(RightsDuty.Types.State.Due, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = copy.Name })).State);
    }

    [Fact]
    public async Task Section132_4_PatientAskedAndAgrees_AnswerRecordedAndCopySendable()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section3);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        var asked = app.Clock.GetUtcNow();

        await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.NearestRelativeSharing = NearestRelativeSharing.Agrees);

        var record = await app.Patients.GetPatientAsync(new GetPatientRequest { Name = patient.Name });
        Assert.Equal(asked, record.NearestRelativeCopyAskedTime.ToDateTimeOffset());
        Assert.False(record.ObjectsToNearestRelativeCopy);
        var copy = Single(await app.DutiesAsync(patient), DutyKind.NearestRelativeCopy132);
        var sent = await app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = copy.Name, SentTime = Scenario.At(app.Clock.GetUtcNow()), Method = "post" });
        Assert.Equal(RightsDuty.Types.State.Sent, sent.State);
    }

    [Fact]
    public async Task Section132_4_LaterNoObjection_ReopensCopiesNotRequiredBecauseOfTheObjection()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section3);
        var duty = Single(await app.DutiesAsync(patient), DutyKind.Section1321);
        await app.ExplainAsync(duty, AttemptOutcome.NotUnderstood, a => a.NearestRelativeSharing = NearestRelativeSharing.Objects);
        var objected = await app.Patients.GetPatientAsync(new GetPatientRequest { Name = patient.Name });
        Assert.True(objected.ObjectsToNearestRelativeCopy);
        Assert.All(Copies(await app.DutiesAsync(patient)), c => Assert.Equal(RightsDuty.Types.State.NotRequired, c.State));

        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.NearestRelativeSharing = NearestRelativeSharing.Agrees);

        var copies = Copies(await app.DutiesAsync(patient));
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c =>
        {
            Assert.Equal(RightsDuty.Types.State.Due, c.State);
            Assert.Equal(string.Empty, c.ResolutionNote);
            Assert.Equal(app.Clock.GetUtcNow().AddDays(7), c.DueTime.ToDateTimeOffset());
        });
        Assert.False((await app.Patients.GetPatientAsync(new GetPatientRequest { Name = patient.Name })).ObjectsToNearestRelativeCopy);
        var worklist = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.NearestRelativeCopies });
        Assert.Equal(2, worklist.Items.Count(i => i.Patient == patient.Name));
    }

    [Fact]
    public async Task Section132_4_OfficeRecordsObjection_AnswerKeptOnPatient()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section3);
        var copy = Single(await app.DutiesAsync(patient), DutyKind.NearestRelativeCopy132);

        await app.Rights.RecordNoticeNotRequiredAsync(new RecordNoticeNotRequiredRequest
        {
            Name = copy.Name, Reason = RecordNoticeNotRequiredRequest.Types.Reason.PatientObjects, Note = "Does not want her mother told",
        });

        var record = await app.Patients.GetPatientAsync(new GetPatientRequest { Name = patient.Name });
        Assert.NotNull(record.NearestRelativeCopyAskedTime);
        Assert.True(record.ObjectsToNearestRelativeCopy);
        // The objection covers the IMHA copy too (s130D(5)).
        Assert.All(Copies(await app.DutiesAsync(patient)), c => Assert.Equal(RightsDuty.Types.State.NotRequired, c.State));
    }

    private static List<RightsDuty> Copies(IEnumerable<RightsDuty> duties) =>
        duties.Where(d => d.Kind is DutyKind.NearestRelativeCopy132 or DutyKind.NearestRelativeCopy130D).ToList();

    private static RightsDuty Single(IEnumerable<RightsDuty> duties, DutyKind kind) => Assert.Single(duties, d => d.Kind == kind);
}
