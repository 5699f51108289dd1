using Grpc.Core;
using MhaRights.Contracts.V1;
using Domain = MhaRights.Server.Adjustments;
using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;
using Decision = MhaRights.Contracts.V1.AdjustmentSharingDecision.Types.Decision;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>The sharing decision (§3.1, §7.3) and review (§3.5, §7.2) through the gRPC stack.</summary>
public sealed class AdjustmentSharingAndReviewTests
{
    [Fact]
    public async Task SharingDecision_DeclinedThenConsented_WithheldThenPendingAndRecordedWithWhoAndWhen()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        Assert.Equal(AdjustmentRecord.Types.SharingState.Pending, record.SharingState);

        var declined = await client.RecordSharingDecisionAsync(new RecordSharingDecisionRequest
        {
            Name = record.Name,
            SharingDecision = new AdjustmentSharingDecision { Decision = Decision.Declined, ConsentProxyRoleCode = "001" },
            Etag = record.Etag,
        });
        Assert.Equal(AdjustmentRecord.Types.SharingState.Withheld, declined.SharingState);
        Assert.Equal("1853781000000107", declined.SharingDecision.LocalSnomedCode);
        Assert.Equal("Patient consent", declined.SharingDecision.ConsentProxyRoleDisplay);
        Assert.Equal("clinician", declined.SharingDecision.RecordedBy.Role);
        Assert.Equal(app.Clock.GetUtcNow(), declined.SharingDecision.RecordTime.ToDateTimeOffset());

        var export = await Assert.ThrowsAsync<RpcException>(() => client.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = record.Name }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, export.StatusCode);
        Assert.Equal("PRECONDITION_FAILED", export.ErrorInfo().Reason);
        Assert.Equal("SHARING_DECLINED", export.ErrorInfo().Metadata["rule"]);

        var consented = await client.RecordSharingDecisionAsync(new RecordSharingDecisionRequest
        {
            Name = record.Name,
            SharingDecision = new AdjustmentSharingDecision { Decision = Decision.Consented, ConsentProxyRoleCode = "003", RepresentativeName = "Sam Test", RepresentativeRelationship = "LPA (health and welfare)" },
        });
        Assert.Equal(AdjustmentRecord.Types.SharingState.Pending, consented.SharingState);
        Assert.Equal("1853771000000105", consented.SharingDecision.LocalSnomedCode);
        var transitions = (await app.AuditOfAsync(record.Name)).Where(e => e.Action == "Withhold" || e.Action == "Queue").Select(e => $"{e.FromState}>{e.ToState}").ToList();
        Assert.Equal(["NotShared>Pending", "Pending>Withheld", "Withheld>Pending"], transitions);
    }

    [Fact]
    public async Task SharingDecision_BestInterestOnIdentifiedRecord_StaysNotSharedUntilActivated()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        var record = await client.IdentifyAsync(patient);

        var decided = await client.RecordSharingDecisionAsync(new RecordSharingDecisionRequest
        {
            Name = record.Name,
            SharingDecision = new AdjustmentSharingDecision
            {
                Decision = Decision.BestInterestDecision,
                BestInterestDecision = new AdjustmentBestInterestDecision { DecisionMaker = "Dr B Jones, consultant psychiatrist", Summary = "Lacks capacity to decide; sharing helps A&E staff meet needs." },
            },
        });
        Assert.Equal(AdjustmentRecord.Types.SharingState.NotShared, decided.SharingState);
        Assert.Equal("002", decided.SharingDecision.ConsentProxyRoleCode);

        var active = await client.ActivateAdjustmentRecordAsync(new ActivateAdjustmentRecordRequest { Name = record.Name, ThresholdConfirmed = true });
        Assert.Equal(AdjustmentRecord.Types.SharingState.Pending, active.SharingState);
    }

    [Fact]
    public async Task Activate_NoDecision_NotSharedUntilDecided()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var patient = await app.CreateNhsPatientAsync();
        var active = await client.ActivateAsync(await client.IdentifyAsync(patient));

        Assert.Equal(AdjustmentRecord.Types.SharingState.NotShared, active.SharingState);
        Assert.Null(active.SharingDecision);
    }

    [Fact]
    public async Task SharingDecision_InvalidCombinations_InvalidArgumentNamingFields()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();

        async Task<IEnumerable<string>> Fields(AdjustmentSharingDecision decision) =>
            (await Assert.ThrowsAsync<RpcException>(() => client.RecordSharingDecisionAsync(new RecordSharingDecisionRequest { Name = record.Name, SharingDecision = decision }).ResponseAsync))
                .BadRequest().FieldViolations.Select(f => f.Field);

        Assert.Equal(["sharing_decision.decision"], await Fields(new AdjustmentSharingDecision()));
        Assert.Equal(["sharing_decision.consent_proxy_role_code"], await Fields(new AdjustmentSharingDecision { Decision = Decision.NotRequired, ConsentProxyRoleCode = "001" }));
        Assert.Equal(["sharing_decision.consent_proxy_role_code"], await Fields(new AdjustmentSharingDecision { Decision = Decision.Consented, ConsentProxyRoleCode = "005" }));
        Assert.Equal(["sharing_decision.representative_name"], await Fields(new AdjustmentSharingDecision { Decision = Decision.Consented, ConsentProxyRoleCode = "004" }));
        Assert.Equal(["sharing_decision.best_interest_decision"], await Fields(new AdjustmentSharingDecision { Decision = Decision.BestInterestDecision }));
        Assert.Equal(["sharing_decision.best_interest_decision"], await Fields(new AdjustmentSharingDecision
        {
            Decision = Decision.Declined, ConsentProxyRoleCode = "001",
            BestInterestDecision = new AdjustmentBestInterestDecision { DecisionMaker = "x", Summary = "y" },
        }));
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.RecordSharingDecisionAsync(new RecordSharingDecisionRequest { Name = record.Name }).ResponseAsync);
        Assert.Equal("sharing_decision", Assert.Single(missing.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task NationalResults_SyncJobOutcomes_SharedFailedOutOfSyncAndDeletedOnRemoval()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (patient, record) = await app.ActiveRecordAsync();
        var patientId = patient.Name["patients/".Length..];

        async Task SyncAsync(Func<Domain.AdjustmentLifecycle, Domain.AdjustmentRecord, CancellationToken, Task> act)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var lifecycle = scope.ServiceProvider.GetRequiredService<Domain.AdjustmentLifecycle>();
            await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(async ct =>
                await act(lifecycle, await lifecycle.GetRecordAsync(patientId, tracked: true, ct), ct), CancellationToken.None);
        }

        await SyncAsync((l, r, ct) => l.RecordNationalResultAsync(r, "req-1", succeeded: false, null, "invalid", "INVALID_NHS_NUMBER", ct));
        var failed = await client.GetAsync(record);
        Assert.Equal(AdjustmentRecord.Types.SharingState.Failed, failed.SharingState);
        Assert.Equal(("invalid", "INVALID_NHS_NUMBER"), (failed.NationalSync.LastOutcomeCode, failed.NationalSync.LastOutcomeDiagnostics));

        // A local change re-queues; the retry succeeds; a later read differs.
        await client.AddAsync(record, Adjustment("008", ExtendedAppointment));
        Assert.Equal(AdjustmentRecord.Types.SharingState.Pending, (await client.GetAsync(record)).SharingState);
        await SyncAsync((l, r, ct) => l.RecordNationalResultAsync(r, "req-2", succeeded: true, "flag-123", null, null, ct));
        var shared = await client.GetAsync(record);
        Assert.Equal(AdjustmentRecord.Types.SharingState.Shared, shared.SharingState);
        Assert.Equal("flag-123", shared.NationalSync.NationalFlagId);
        await SyncAsync((l, r, ct) => l.MarkNationalDiffersAsync(r, "Another organisation added an adjustment.", ct));
        Assert.Equal(AdjustmentRecord.Types.SharingState.OutOfSync, (await client.GetAsync(record)).SharingState);

        // Removing the record queues the national delete, which then completes.
        var removed = await client.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = record.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Needs resolved." });
        Assert.Equal(AdjustmentRecord.Types.SharingState.Pending, removed.SharingState);
        await SyncAsync((l, r, ct) => l.RecordNationalResultAsync(r, "req-3", succeeded: true, null, null, null, ct));
        var deleted = await client.GetAsync(record);
        Assert.Equal(AdjustmentRecord.Types.SharingState.NotShared, deleted.SharingState);
        Assert.Equal(string.Empty, deleted.NationalSync.NationalFlagId);
    }

    [Fact]
    public async Task Review_IntervalPassesSweepAndWorklist_DueListedThenMarkedReviewed()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (first, firstRecord) = await app.ActiveRecordAsync(hospital: "RXM01", ward: "ASH");
        app.Clock.Advance(TimeSpan.FromDays(1));
        var (_, secondRecord) = await app.ActiveRecordAsync(hospital: "RXM01", ward: "BIRCH");
        var (_, elsewhere) = await app.ActiveRecordAsync(hospital: "RXM02", ward: "ASH");
        await client.AddAsync(firstRecord, Impairment("5"));

        Assert.Empty((await client.ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest())).Reviews);
        app.Clock.Advance(TimeSpan.FromDays(366));
        Assert.Equal(AdjustmentRecord.Types.ReviewState.ReviewDue, (await client.GetAsync(firstRecord)).ReviewState);
        var swept = await app.Services.GetRequiredService<Domain.AdjustmentReviewSweeper>().SweepAsync();
        Assert.Equal(3, swept);
        Assert.Equal(0, await app.Services.GetRequiredService<Domain.AdjustmentReviewSweeper>().SweepAsync());
        Assert.Contains(await app.AuditOfAsync(firstRecord.Name), e => e.Action == "ReviewFallsDue" && e.ToState == "ReviewDue" && e.Actor.Principal == "system");

        var hospital = await client.ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest { Hospital = "RXM01", PageSize = 1 });
        var entry = Assert.Single(hospital.Reviews);
        Assert.Equal(firstRecord.Name, entry.AdjustmentRecord);
        Assert.True(entry.Overdue);
        Assert.Equal(1, entry.ActiveItemCount);
        Assert.Equal(first.LocalId, entry.PatientLocalId);
        var next = await client.ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest { Hospital = "RXM01", PageSize = 1, PageToken = hospital.NextPageToken });
        Assert.Equal(secondRecord.Name, Assert.Single(next.Reviews).AdjustmentRecord);
        Assert.Empty(next.NextPageToken);
        var ward = await client.ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest { Ward = "ASH" });
        Assert.Equal([firstRecord.Name, elsewhere.Name], ward.Reviews.Select(r => r.AdjustmentRecord));

        var reviewed = await client.MarkAdjustmentRecordReviewedAsync(new MarkAdjustmentRecordReviewedRequest { Name = firstRecord.Name, ReviewNote = "Needs unchanged." });
        Assert.Equal(AdjustmentRecord.Types.ReviewState.Reviewed, reviewed.ReviewState);
        Assert.Equal(app.Clock.GetUtcNow(), reviewed.LastReviewedTime.ToDateTimeOffset());
        Assert.Equal(app.Clock.GetUtcNow().AddYears(1), reviewed.ReviewDueTime.ToDateTimeOffset());
        Assert.Equal("clinician", reviewed.LastReviewedBy.Role);
        Assert.DoesNotContain((await client.ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest())).Reviews, r => r.AdjustmentRecord == firstRecord.Name);

        // An early review with an explicit date; a date in the past is refused.
        var early = await client.MarkAdjustmentRecordReviewedAsync(new MarkAdjustmentRecordReviewedRequest { Name = firstRecord.Name, NextReviewTime = Scenario.At(app.Clock.GetUtcNow().AddMonths(3)) });
        Assert.Equal(app.Clock.GetUtcNow().AddMonths(3), early.ReviewDueTime.ToDateTimeOffset());
        var past = await Assert.ThrowsAsync<RpcException>(() => client.MarkAdjustmentRecordReviewedAsync(new MarkAdjustmentRecordReviewedRequest { Name = firstRecord.Name, NextReviewTime = Scenario.At(app.Clock.GetUtcNow().AddDays(-1)) }).ResponseAsync);
        Assert.Equal("next_review_time", Assert.Single(past.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task ReviewInterval_Configured_UsedForFirstReview()
    {
        await using var app = await TestApp.StartAsync(null, "--Adjustments:ReviewInterval=P6M");
        var (_, record) = await app.ActiveRecordAsync();

        // Six months on the Europe/London calendar: 10:00 GMT on 1 March is due at 10:00 BST (09:00 UTC) on 1 September.
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero), record.ReviewDueTime.ToDateTimeOffset());
    }
}
