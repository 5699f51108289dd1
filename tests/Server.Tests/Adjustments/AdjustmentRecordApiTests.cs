using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>The record lifecycle of domain notes §7.1/§7.2 through the real gRPC stack on SQLite.</summary>
public sealed class AdjustmentRecordApiTests
{
    [Fact]
    public async Task Lifecycle_IdentifyActivateRemoveReopen_EachTransitionAuditedAndItemsEndWithRecord()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();

        var identified = await client.IdentifyAsync(patient);
        Assert.Equal(AdjustmentRecord.Types.State.Identified, identified.State);
        Assert.Equal($"{patient.Name}/adjustmentRecord", identified.Name);
        Assert.Equal(AdjustmentRecord.Types.SharingState.NotShared, identified.SharingState);
        Assert.Equal(AdjustmentRecord.Types.ReviewState.Unspecified, identified.ReviewState);
        Assert.Null(identified.ThresholdConfirmation);

        var item = await client.AddAsync(identified, Adjustment("002", BslInterpreter));
        var active = await client.ActivateAsync(identified);
        Assert.Equal(AdjustmentRecord.Types.State.Active, active.State);
        Assert.Equal(AdjustmentRecord.Types.ReviewState.Reviewed, active.ReviewState);
        Assert.Equal(app.Clock.GetUtcNow().AddYears(1), active.ReviewDueTime.ToDateTimeOffset());
        Assert.Equal("R1981", active.ThresholdConfirmation.ConfirmedByNhsUser.SdsJobRoleCode);
        Assert.Equal(1, active.ActiveItemCount);
        Assert.NotEqual(identified.Etag, active.Etag);

        var removed = await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest
        {
            Name = active.Name,
            RemovalReasonCode = "PatientDissent",
            RemovalComment = "Patient asked for the flag to be removed.",
            Etag = active.Etag,
        });
        Assert.Equal(AdjustmentRecord.Types.State.Removed, removed.State);
        Assert.Equal("PatientDissent", removed.Removal.RemovalReasonCode);
        Assert.Equal("Patient asked for the flag to be removed.", removed.Removal.RemovalComment);
        Assert.Equal(AdjustmentRecord.Types.ReviewState.Unspecified, removed.ReviewState);
        Assert.Equal(0, removed.ActiveItemCount);
        var items = await client.ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = removed.Name, States = { AdjustmentItem.Types.State.Unspecified } });
        var ended = Assert.Single(items.AdjustmentItems);
        Assert.Equal(item.Name, ended.Name);
        Assert.Equal(AdjustmentItem.Types.State.Removed, ended.State);
        Assert.Equal("PatientDissent", ended.Removal.RemovalReasonCode);

        var reopened = await client.IdentifyAdjustmentNeedsAsync(new IdentifyAdjustmentNeedsRequest
        {
            Parent = patient.Name,
            IdentificationSource = AdjustmentRecord.Types.IdentificationSource.Other,
            IdentificationNote = "Carer reports new needs.",
            Etag = removed.Etag,
        });
        Assert.Equal(AdjustmentRecord.Types.State.Identified, reopened.State);
        Assert.Null(reopened.Removal);
        Assert.Equal("Carer reports new needs.", reopened.IdentificationNote);

        var transitions = (await app.AuditOfAsync(active.Name)).Where(e => e.Resource == active.Name && e.FromState != e.ToState).Select(e => (e.FromState, e.ToState)).ToList();
        Assert.Contains(("None", "Identified"), transitions);
        Assert.Contains(("Identified", "Active"), transitions);
        Assert.Contains(("Active", "Removed"), transitions);
        Assert.Contains(("Removed", "Identified"), transitions);
        Assert.Contains((await app.AuditOfAsync(item.Name)), e => e.FromState == "Active" && e.ToState == "Removed" && e.Trigger == "RemoveAdjustmentRecord");
    }

    [Fact]
    public async Task MarkEnteredInError_ActiveRecord_RecordAndItemsEnteredInErrorThenRefusedAgain()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var item = await client.AddAsync(record, Impairment("2"));

        var error = await client.MarkAdjustmentRecordEnteredInErrorAsync(new MarkAdjustmentRecordEnteredInErrorRequest { Name = record.Name, RemovalComment = "Wrong patient." });

        Assert.Equal(AdjustmentRecord.Types.State.EnteredInError, error.State);
        Assert.Equal("Error", error.Removal.RemovalReasonCode);
        var items = await client.ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = record.Name, States = { AdjustmentItem.Types.State.EnteredInError } });
        Assert.Equal(item.Name, Assert.Single(items.AdjustmentItems).Name);
        var again = await Assert.ThrowsAsync<RpcException>(() => client.MarkAdjustmentRecordEnteredInErrorAsync(new MarkAdjustmentRecordEnteredInErrorRequest { Name = record.Name, RemovalComment = "Again." }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("INVALID_STATE_TRANSITION", again.ErrorInfo().Reason);
        Assert.Equal("EnteredInError", again.ErrorInfo().Metadata["state"]);
    }

    [Fact]
    public async Task MarkEnteredInError_RemovedRecord_CorrectedToEnteredInError()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Needs met." });

        var error = await client.MarkAdjustmentRecordEnteredInErrorAsync(new MarkAdjustmentRecordEnteredInErrorRequest { Name = record.Name, RemovalComment = "Was never this patient." });

        Assert.Equal(AdjustmentRecord.Types.State.EnteredInError, error.State);
    }

    public static TheoryData<string> RefusedFromRemoved => new() { "Activate", "Remove", "CreateItem", "SharingDecision", "Review", "Export" };

    [Theory]
    [MemberData(nameof(RefusedFromRemoved))]
    public async Task RemovedRecord_AnyChangeButReopenOrError_FailedPreconditionInvalidStateTransition(string action)
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "No longer needed." });

        Task call = action switch
        {
            "Activate" => client.ActivateAsync(record),
            "Remove" => client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Again." }).ResponseAsync,
            "CreateItem" => client.AddAsync(record, Adjustment("008", ExtendedAppointment)),
            "SharingDecision" => client.RecordSharingDecisionAsync(new RecordSharingDecisionRequest { Name = record.Name, SharingDecision = new AdjustmentSharingDecision { Decision = AdjustmentSharingDecision.Types.Decision.NotRequired } }).ResponseAsync,
            "Review" => client.MarkAdjustmentRecordReviewedAsync(new MarkAdjustmentRecordReviewedRequest { Name = record.Name }).ResponseAsync,
            _ => client.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = record.Name }).ResponseAsync,
        };
        var ex = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("INVALID_STATE_TRANSITION", ex.ErrorInfo().Reason);
        Assert.Equal("Removed", ex.ErrorInfo().Metadata["state"]);
    }

    [Fact]
    public async Task IdentifiedRecord_ReviewOrExportOrSecondActivation_RefusedWithStateAndTrigger()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        var record = await client.IdentifyAsync(patient);

        var review = await Assert.ThrowsAsync<RpcException>(() => client.MarkAdjustmentRecordReviewedAsync(new MarkAdjustmentRecordReviewedRequest { Name = record.Name }).ResponseAsync);
        Assert.Equal(("Identified", "MarkReviewed"), (review.ErrorInfo().Metadata["state"], review.ErrorInfo().Metadata["trigger"]));
        var export = await Assert.ThrowsAsync<RpcException>(() => client.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = record.Name }).ResponseAsync);
        Assert.Equal(("Identified", "Export"), (export.ErrorInfo().Metadata["state"], export.ErrorInfo().Metadata["trigger"]));

        await client.ActivateAsync(record);
        var twice = await Assert.ThrowsAsync<RpcException>(() => client.ActivateAsync(record));
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        Assert.Equal(("Active", "Activate"), (twice.ErrorInfo().Metadata["state"], twice.ErrorInfo().Metadata["trigger"]));
    }

    [Fact]
    public async Task Identify_RecordAlreadyOpen_AlreadyExists()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        await client.IdentifyAsync(patient);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.IdentifyAsync(patient));

        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
    }

    [Fact]
    public async Task Get_NoRecordOrUnknownPatient_NotFound()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();

        var none = await Assert.ThrowsAsync<RpcException>(() => client.GetAdjustmentRecordAsync(new GetAdjustmentRecordRequest { Name = $"{patient.Name}/adjustmentRecord" }).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.IdentifyAdjustmentNeedsAsync(new IdentifyAdjustmentNeedsRequest { Parent = "patients/nobody", IdentificationSource = AdjustmentRecord.Types.IdentificationSource.Referral }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, none.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Requests_BadFields_InvalidArgumentNamingEveryField()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();

        var identify = await Assert.ThrowsAsync<RpcException>(() => client.IdentifyAdjustmentNeedsAsync(new IdentifyAdjustmentNeedsRequest
        {
            Parent = "patients/x",
            IdentificationSource = AdjustmentRecord.Types.IdentificationSource.Other,
            NhsUser = new AdjustmentNhsUser { SdsUserId = "12", SdsRoleProfileId = "999999999999", SdsJobRoleCode = "X1", OdsOrganizationCode = "RXM" },
        }).ResponseAsync);
        Assert.Equal(
            ["identification_note", "nhs_user.sds_user_id", "nhs_user.sds_job_role_code"],
            identify.BadRequest().FieldViolations.Select(f => f.Field));

        var remove = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "Error", RemovalComment = "" }).ResponseAsync);
        Assert.Equal(["removal_reason_code", "removal_comment"], remove.BadRequest().FieldViolations.Select(f => f.Field));

        var bestInterest = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "BestInterest", RemovalComment = "MCA." }).ResponseAsync);
        Assert.Equal("best_interest_decision", Assert.Single(bestInterest.BadRequest().FieldViolations).Field);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "doesntapply", RemovalComment = "x" }).ResponseAsync);
        Assert.Contains("did you mean 'DoesntApply'", Assert.Single(unknown.BadRequest().FieldViolations).Description, StringComparison.Ordinal);

        var activate = await Assert.ThrowsAsync<RpcException>(() => client.ActivateAdjustmentRecordAsync(new ActivateAdjustmentRecordRequest
        {
            Name = record.Name,
            ReviewDueTime = Scenario.At(app.Clock.GetUtcNow().AddYears(4)),
            SharingDecision = new AdjustmentSharingDecision { Decision = AdjustmentSharingDecision.Types.Decision.Consented },
        }).ResponseAsync);
        Assert.Equal(["threshold_confirmed", "sharing_decision.consent_proxy_role_code", "review_due_time"], activate.BadRequest().FieldViolations.Select(f => f.Field));

        var name = await Assert.ThrowsAsync<RpcException>(() => client.GetAdjustmentRecordAsync(new GetAdjustmentRecordRequest { Name = "patients/x/adjustments" }).ResponseAsync);
        Assert.Equal("name", Assert.Single(name.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task Remove_BestInterestWithDecision_RemovedWithDecisionMakerAndSummary()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();

        var removed = await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest
        {
            Name = record.Name,
            RemovalReasonCode = "BestInterest",
            RemovalComment = "Flag distressed the patient.",
            BestInterestDecision = new AdjustmentBestInterestDecision { DecisionMaker = "Dr A Smith, RC", Summary = "Lacks capacity; removal in best interests." },
        });

        Assert.Equal("Dr A Smith, RC", removed.Removal.BestInterestDecision.DecisionMaker);
        Assert.Equal("A best interest decision was taken to remove the Reasonable Adjustments Flag", removed.Removal.RemovalReasonDisplay);
    }

    [Fact]
    public async Task Activate_StaleEtag_AbortedAndRecordUnchanged()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        var record = await client.IdentifyAsync(patient);
        await client.AddAsync(record, Impairment("1"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ActivateAdjustmentRecordAsync(new ActivateAdjustmentRecordRequest { Name = record.Name, ThresholdConfirmed = true, Etag = record.Etag }).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal(AdjustmentRecord.Types.State.Identified, (await client.GetAsync(record)).State);
    }

    [Fact]
    public async Task CreateItem_RetriedWithSameRequestId_OneItem()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var request = new CreateAdjustmentItemRequest { Parent = record.Name, AdjustmentItem = Adjustment("009", LowNoise), RequestId = Guid.NewGuid().ToString() };

        var first = await client.CreateAdjustmentItemAsync(request);
        var second = await client.CreateAdjustmentItemAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(1, await app.CountAsync("AdjustmentItems"));
    }

    [Fact]
    public async Task Identify_ReopenWithStaleEtag_AbortedAndStillRemoved()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (patient, record) = await app.ActiveRecordAsync();
        await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Needs met." });

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.IdentifyAdjustmentNeedsAsync(new IdentifyAdjustmentNeedsRequest
        {
            Parent = patient.Name, IdentificationSource = AdjustmentRecord.Types.IdentificationSource.Referral, Etag = record.Etag,
        }).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal(AdjustmentRecord.Types.State.Removed, (await client.GetAsync(record)).State);
    }
}
