using MhaRights.Server.Adjustments;
using MhaRights.Server.Audit;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>
/// Every transition and guard of the adjustment machines (domain notes §7.1, §7.2), fired on the definitions, including
/// the refusals the API's own validation normally stops earlier (the guards are the last line of defence).
/// </summary>
public sealed class AdjustmentWorkflowTests
{
    private sealed class System : ICallerContext
    {
        public CallerIdentity Caller => CallerIdentity.System;
    }

    private static readonly DateTime Now = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    private static readonly AuditLog Audit = new(new System(), TimeProvider.System);

    private static TransitionContext<AdjustmentRecord> Record(AdjustmentRecordState state, Action<AdjustmentRecord>? configure = null)
    {
        var record = new AdjustmentRecord { Id = "r1", PatientId = "p1", State = state };
        configure?.Invoke(record);
        return new TransitionContext<AdjustmentRecord>(record, Audit, "patients/p1/adjustmentRecord", "p1");
    }

    private static TransitionContext<AdjustmentItem> Item(AdjustmentItemState state, Action<AdjustmentItem>? configure = null)
    {
        var item = new AdjustmentItem { Id = "i1", PatientId = "p1", RecordId = "r1", State = state, CodeTableVersion = "1.0.0" };
        configure?.Invoke(item);
        return new TransitionContext<AdjustmentItem>(item, Audit, "patients/p1/adjustmentRecord/items/i1", "p1");
    }

    private static void Removal(AdjustmentRemoval removal, string? reason, string? comment, bool bestInterest = false)
    {
        removal.ReasonCode = reason;
        removal.Comment = comment;
        if (bestInterest)
        {
            removal.BestInterest = new AdjustmentBestInterest { DecisionMaker = "Dr A", Summary = "Lacks capacity; in best interests." };
        }
    }

    private static void Confirmed(AdjustmentRecord r)
    {
        r.ThresholdConfirmed = new AdjustmentActor { Principal = "x", Role = "clinician", Time = Now };
        r.ReviewDueTime = Now.AddYears(1);
    }

    public static TheoryData<AdjustmentRecordState, AdjustmentRecordEvent, AdjustmentRecordState> RecordTransitions => new()
    {
        { AdjustmentRecordState.None, AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.Activate, AdjustmentRecordState.Active },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.Remove, AdjustmentRecordState.Removed },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.ChangeItems, AdjustmentRecordState.Identified },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.RecordSharingDecision, AdjustmentRecordState.Identified },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.Remove, AdjustmentRecordState.Removed },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.ChangeItems, AdjustmentRecordState.Active },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.RecordSharingDecision, AdjustmentRecordState.Active },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.MarkReviewed, AdjustmentRecordState.Active },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.Export, AdjustmentRecordState.Active },
        { AdjustmentRecordState.Removed, AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified },
        { AdjustmentRecordState.Removed, AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError },
        { AdjustmentRecordState.EnteredInError, AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified },
    };

    [Theory]
    [MemberData(nameof(RecordTransitions))]
    public async Task RecordMachine_PermittedTriggerWithGuardsMet_MovesToDestination(AdjustmentRecordState from, AdjustmentRecordEvent trigger, AdjustmentRecordState to)
    {
        var context = Record(from, r =>
        {
            Confirmed(r);
            Removal(r.Removal, trigger == AdjustmentRecordEvent.MarkEnteredInError ? AdjustmentRules.ErrorReason : "DoesntApply", "No longer applies.");
        });

        await AdjustmentRecordWorkflow.For(context).FireAsync(trigger);

        Assert.Equal(to, context.Entity.State);
    }

    public static TheoryData<AdjustmentRecordState, AdjustmentRecordEvent> RecordRefusals => new()
    {
        { AdjustmentRecordState.None, AdjustmentRecordEvent.Activate },
        { AdjustmentRecordState.None, AdjustmentRecordEvent.ChangeItems },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.Identify },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.MarkReviewed },
        { AdjustmentRecordState.Identified, AdjustmentRecordEvent.Export },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.Identify },
        { AdjustmentRecordState.Active, AdjustmentRecordEvent.Activate },
        { AdjustmentRecordState.Removed, AdjustmentRecordEvent.Remove },
        { AdjustmentRecordState.Removed, AdjustmentRecordEvent.ChangeItems },
        { AdjustmentRecordState.Removed, AdjustmentRecordEvent.RecordSharingDecision },
        { AdjustmentRecordState.Removed, AdjustmentRecordEvent.Export },
        { AdjustmentRecordState.EnteredInError, AdjustmentRecordEvent.MarkEnteredInError },
        { AdjustmentRecordState.EnteredInError, AdjustmentRecordEvent.ChangeItems },
    };

    [Theory]
    [MemberData(nameof(RecordRefusals))]
    public async Task RecordMachine_TriggerNotPermittedInState_InvalidTransition(AdjustmentRecordState from, AdjustmentRecordEvent trigger)
    {
        var context = Record(from, r =>
        {
            Confirmed(r);
            Removal(r.Removal, AdjustmentRules.ErrorReason, "Created in error.");
        });

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentRecordState, AdjustmentRecordEvent>>(() => AdjustmentRecordWorkflow.For(context).FireAsync(trigger));

        Assert.Equal(from, ex.State);
        Assert.Equal(from, context.Entity.State);
    }

    public static TheoryData<AdjustmentRecordEvent, string?, string?, bool, string> RecordGuardRefusals => new()
    {
        { AdjustmentRecordEvent.Remove, null, "comment", false, "national removal reason" },
        { AdjustmentRecordEvent.Remove, AdjustmentRules.ErrorReason, "comment", false, "other than Error" },
        { AdjustmentRecordEvent.Remove, "DoesntApply", " ", false, "supporting comment" },
        { AdjustmentRecordEvent.Remove, AdjustmentRules.BestInterestReason, "comment", false, "best-interest" },
        { AdjustmentRecordEvent.MarkEnteredInError, "DoesntApply", "comment", false, "reason is Error" },
        { AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRules.ErrorReason, null, false, "supporting comment" },
    };

    [Theory]
    [MemberData(nameof(RecordGuardRefusals))]
    public async Task RecordMachine_EndingWithoutRequiredRemoval_RefusedNamingGuard(AdjustmentRecordEvent trigger, string? reason, string? comment, bool bestInterest, string guard)
    {
        var context = Record(AdjustmentRecordState.Active, r => Removal(r.Removal, reason, comment, bestInterest));

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentRecordState, AdjustmentRecordEvent>>(() => AdjustmentRecordWorkflow.For(context).FireAsync(trigger));

        Assert.Contains(ex.UnmetGuards, g => g.Contains(guard, StringComparison.Ordinal));
        Assert.Equal(AdjustmentRecordState.Active, context.Entity.State);
    }

    [Fact]
    public async Task RecordMachine_BestInterestRemovalWithDecision_Removed()
    {
        var context = Record(AdjustmentRecordState.Active, r => Removal(r.Removal, AdjustmentRules.BestInterestReason, "Best interest.", bestInterest: true));
        await AdjustmentRecordWorkflow.For(context).FireAsync(AdjustmentRecordEvent.Remove);
        Assert.Equal(AdjustmentRecordState.Removed, context.Entity.State);
    }

    [Theory]
    [InlineData(false, true, "Equality Act threshold")]
    [InlineData(true, false, "first review date")]
    public async Task RecordMachine_ActivateWithoutConfirmationOrReviewDate_RefusedNamingGuard(bool confirmed, bool reviewDate, string guard)
    {
        var context = Record(AdjustmentRecordState.Identified, r =>
        {
            if (confirmed)
            {
                r.ThresholdConfirmed = new AdjustmentActor { Time = Now };
            }

            r.ReviewDueTime = reviewDate ? Now.AddYears(1) : null;
        });

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentRecordState, AdjustmentRecordEvent>>(() => AdjustmentRecordWorkflow.For(context).FireAsync(AdjustmentRecordEvent.Activate));

        Assert.Contains(ex.UnmetGuards, g => g.Contains(guard, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordMachine_Transition_AuditedWithFromToAndTrigger()
    {
        var audit = new AuditLog(new System(), TimeProvider.System);
        var context = new TransitionContext<AdjustmentRecord>(new AdjustmentRecord { Id = "r", PatientId = "p" }, audit, "patients/p/adjustmentRecord", "p") { Cause = "IdentifyAdjustmentNeeds" };

        await AdjustmentRecordWorkflow.For(context).FireAsync(AdjustmentRecordEvent.Identify);

        var entry = Assert.Single(audit.Pending);
        Assert.Equal(("Identify", "None", "Identified", "IdentifyAdjustmentNeeds"), (entry.Action, entry.FromState, entry.ToState, entry.Trigger));
    }

    public static TheoryData<AdjustmentItemState, AdjustmentItemEvent, string, bool, AdjustmentItemState> ItemTransitions => new()
    {
        { AdjustmentItemState.Active, AdjustmentItemEvent.Remove, "DoesntApply", false, AdjustmentItemState.Removed },
        { AdjustmentItemState.Active, AdjustmentItemEvent.Remove, "PatientDissent", false, AdjustmentItemState.Removed },
        { AdjustmentItemState.Active, AdjustmentItemEvent.Supersede, "DoesntApply", true, AdjustmentItemState.Removed },
        { AdjustmentItemState.Active, AdjustmentItemEvent.MarkEnteredInError, AdjustmentRules.ErrorReason, false, AdjustmentItemState.EnteredInError },
        { AdjustmentItemState.Removed, AdjustmentItemEvent.MarkEnteredInError, AdjustmentRules.ErrorReason, false, AdjustmentItemState.EnteredInError },
    };

    [Theory]
    [MemberData(nameof(ItemTransitions))]
    public async Task ItemMachine_PermittedTriggerWithGuardsMet_MovesToDestination(AdjustmentItemState from, AdjustmentItemEvent trigger, string reason, bool linked, AdjustmentItemState to)
    {
        var context = Item(from, i =>
        {
            Removal(i.Removal, reason, "Changed.");
            i.SupersededById = linked ? "i2" : null;
        });

        await AdjustmentItemWorkflow.For(context).FireAsync(trigger);

        Assert.Equal(to, context.Entity.State);
    }

    public static TheoryData<AdjustmentItemState, AdjustmentItemEvent, string?, string?, bool, string?> ItemRefusals => new()
    {
        // Not permitted in the state at all.
        { AdjustmentItemState.Removed, AdjustmentItemEvent.Remove, "DoesntApply", "c", false, null },
        { AdjustmentItemState.Removed, AdjustmentItemEvent.Supersede, "DoesntApply", "c", true, null },
        { AdjustmentItemState.EnteredInError, AdjustmentItemEvent.Remove, "DoesntApply", "c", false, null },
        { AdjustmentItemState.EnteredInError, AdjustmentItemEvent.MarkEnteredInError, AdjustmentRules.ErrorReason, "c", false, null },
        // Guards.
        { AdjustmentItemState.Active, AdjustmentItemEvent.Remove, AdjustmentRules.ErrorReason, "c", false, "other than Error" },
        { AdjustmentItemState.Active, AdjustmentItemEvent.Remove, "DoesntApply", "", false, "supporting comment" },
        { AdjustmentItemState.Active, AdjustmentItemEvent.Remove, AdjustmentRules.BestInterestReason, "c", false, "best-interest" },
        { AdjustmentItemState.Active, AdjustmentItemEvent.Supersede, "DoesntApply", "c", false, "replacement item is linked" },
        { AdjustmentItemState.Active, AdjustmentItemEvent.MarkEnteredInError, "DoesntApply", "c", false, "reason is Error" },
        { AdjustmentItemState.Removed, AdjustmentItemEvent.MarkEnteredInError, AdjustmentRules.ErrorReason, null, false, "supporting comment" },
    };

    [Theory]
    [MemberData(nameof(ItemRefusals))]
    public async Task ItemMachine_RefusedTransition_StateUnchangedAndGuardNamed(AdjustmentItemState from, AdjustmentItemEvent trigger, string? reason, string? comment, bool linked, string? guard)
    {
        var context = Item(from, i =>
        {
            Removal(i.Removal, reason, comment);
            i.SupersededById = linked ? "i2" : null;
        });

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentItemState, AdjustmentItemEvent>>(() => AdjustmentItemWorkflow.For(context).FireAsync(trigger));

        Assert.Equal(from, context.Entity.State);
        if (guard is null)
        {
            Assert.Empty(ex.UnmetGuards);
        }
        else
        {
            Assert.Contains(ex.UnmetGuards, g => g.Contains(guard, StringComparison.Ordinal));
        }
    }

    public static TheoryData<AdjustmentSharingState, AdjustmentRecordState, SharingDecision, AdjustmentSharingEvent, AdjustmentSharingState> SharingTransitions => new()
    {
        { AdjustmentSharingState.NotShared, AdjustmentRecordState.Active, SharingDecision.NotRequired, AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.Withheld, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.Failed, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.OutOfSync, AdjustmentRecordState.Active, SharingDecision.BestInterestDecision, AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.NotShared, AdjustmentRecordState.Identified, SharingDecision.Declined, AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Active, SharingDecision.Declined, AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Active, SharingDecision.Declined, AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.Failed, AdjustmentRecordState.Active, SharingDecision.Declined, AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.OutOfSync, AdjustmentRecordState.Active, SharingDecision.Declined, AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.NationalSucceeded, AdjustmentSharingState.Shared },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Removed, SharingDecision.Consented, AdjustmentSharingEvent.NationalSucceeded, AdjustmentSharingState.NotShared },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.NationalFailed, AdjustmentSharingState.Failed },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.NationalDiffers, AdjustmentSharingState.OutOfSync },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Removed, SharingDecision.Consented, AdjustmentSharingEvent.Unshare, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.Failed, AdjustmentRecordState.EnteredInError, SharingDecision.Consented, AdjustmentSharingEvent.Unshare, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.OutOfSync, AdjustmentRecordState.Removed, SharingDecision.Consented, AdjustmentSharingEvent.Unshare, AdjustmentSharingState.Pending },
        // Ignored: nothing to do.
        { AdjustmentSharingState.NotShared, AdjustmentRecordState.Removed, SharingDecision.None, AdjustmentSharingEvent.Unshare, AdjustmentSharingState.NotShared },
        { AdjustmentSharingState.Withheld, AdjustmentRecordState.Removed, SharingDecision.Declined, AdjustmentSharingEvent.Unshare, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.Withheld, AdjustmentRecordState.Active, SharingDecision.Declined, AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Removed, SharingDecision.Consented, AdjustmentSharingEvent.Unshare, AdjustmentSharingState.Pending },
    };

    [Theory]
    [MemberData(nameof(SharingTransitions))]
    public async Task SharingMachine_PermittedTrigger_MovesToDestination(AdjustmentSharingState from, AdjustmentRecordState record, SharingDecision decision, AdjustmentSharingEvent trigger, AdjustmentSharingState to)
    {
        var context = Record(record, r =>
        {
            r.SharingState = from;
            r.SharingDecision = new AdjustmentSharingDecision { Decision = decision };
        });

        await AdjustmentSharingWorkflow.For(context).FireAsync(trigger);

        Assert.Equal(to, context.Entity.SharingState);
    }

    public static TheoryData<AdjustmentSharingState, AdjustmentRecordState, SharingDecision, AdjustmentSharingEvent, string?> SharingRefusals => new()
    {
        { AdjustmentSharingState.NotShared, AdjustmentRecordState.Identified, SharingDecision.Consented, AdjustmentSharingEvent.Queue, "ACTIVE" },
        { AdjustmentSharingState.NotShared, AdjustmentRecordState.Active, SharingDecision.None, AdjustmentSharingEvent.Queue, "other than DECLINED" },
        { AdjustmentSharingState.Withheld, AdjustmentRecordState.Active, SharingDecision.Declined, AdjustmentSharingEvent.Queue, "other than DECLINED" },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.Withhold, "DECLINED" },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.Unshare, "ended" },
        { AdjustmentSharingState.NotShared, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.NationalSucceeded, null },
        { AdjustmentSharingState.Shared, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.NationalFailed, null },
        { AdjustmentSharingState.Pending, AdjustmentRecordState.Active, SharingDecision.Consented, AdjustmentSharingEvent.NationalDiffers, null },
    };

    [Theory]
    [MemberData(nameof(SharingRefusals))]
    public async Task SharingMachine_RefusedTrigger_InvalidTransition(AdjustmentSharingState from, AdjustmentRecordState record, SharingDecision decision, AdjustmentSharingEvent trigger, string? guard)
    {
        var context = Record(record, r =>
        {
            r.SharingState = from;
            r.SharingDecision = new AdjustmentSharingDecision { Decision = decision };
        });

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentSharingState, AdjustmentSharingEvent>>(() => AdjustmentSharingWorkflow.For(context).FireAsync(trigger));

        Assert.Equal(from, context.Entity.SharingState);
        if (guard is not null)
        {
            Assert.Contains(ex.UnmetGuards, g => g.Contains(guard, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ReviewMachine_ScheduleDueReviewAndClose_EveryTransitionAndGuard()
    {
        var context = Record(AdjustmentRecordState.Active, r => r.ReviewDueTime = null);
        var machine = AdjustmentReviewWorkflow.For(context);

        // Schedule needs a review date; ReviewFallsDue and MarkReviewed are not permitted before scheduling.
        var unscheduled = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentReviewState, AdjustmentReviewEvent>>(() => machine.FireAsync(AdjustmentReviewEvent.Schedule));
        Assert.Contains(unscheduled.UnmetGuards, g => g.Contains("review date", StringComparison.Ordinal));
        await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentReviewState, AdjustmentReviewEvent>>(() => machine.FireAsync(AdjustmentReviewEvent.MarkReviewed));
        await machine.FireAsync(AdjustmentReviewEvent.Close);
        Assert.Equal(AdjustmentReviewState.NotApplicable, context.Entity.ReviewState);

        context.Entity.ReviewDueTime = Now;
        await machine.FireAsync(AdjustmentReviewEvent.Schedule);
        Assert.Equal(AdjustmentReviewState.Reviewed, context.Entity.ReviewState);
        await machine.FireAsync(AdjustmentReviewEvent.MarkReviewed);
        Assert.Equal(AdjustmentReviewState.Reviewed, context.Entity.ReviewState);
        await machine.FireAsync(AdjustmentReviewEvent.ReviewFallsDue);
        Assert.Equal(AdjustmentReviewState.ReviewDue, context.Entity.ReviewState);
        await machine.FireAsync(AdjustmentReviewEvent.ReviewFallsDue);
        Assert.Equal(AdjustmentReviewState.ReviewDue, context.Entity.ReviewState);
        await machine.FireAsync(AdjustmentReviewEvent.MarkReviewed);
        Assert.Equal(AdjustmentReviewState.Reviewed, context.Entity.ReviewState);
        await machine.FireAsync(AdjustmentReviewEvent.Close);
        Assert.Equal(AdjustmentReviewState.NotApplicable, context.Entity.ReviewState);

        // Scheduling needs an ACTIVE record.
        context.Entity.State = AdjustmentRecordState.Removed;
        var ended = await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentReviewState, AdjustmentReviewEvent>>(() => machine.FireAsync(AdjustmentReviewEvent.Schedule));
        Assert.Contains(ended.UnmetGuards, g => g.Contains("ACTIVE", StringComparison.Ordinal));

        // A due review without a date (never in practice) cannot fall due or be marked reviewed.
        var dateless = Record(AdjustmentRecordState.Active, r => r.ReviewState = AdjustmentReviewState.Reviewed);
        await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentReviewState, AdjustmentReviewEvent>>(() => AdjustmentReviewWorkflow.For(dateless).FireAsync(AdjustmentReviewEvent.ReviewFallsDue));
        await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentReviewState, AdjustmentReviewEvent>>(() => AdjustmentReviewWorkflow.For(dateless).FireAsync(AdjustmentReviewEvent.MarkReviewed));
        dateless.Entity.ReviewState = AdjustmentReviewState.ReviewDue;
        await Assert.ThrowsAsync<InvalidTransitionException<AdjustmentReviewState, AdjustmentReviewEvent>>(() => AdjustmentReviewWorkflow.For(dateless).FireAsync(AdjustmentReviewEvent.MarkReviewed));
    }

    [Fact]
    public void Catalog_AdjustmentMachines_RegisteredUnderPublicIds()
    {
        Assert.Contains("adjustment-record", WorkflowCatalog.Workflows.Keys);
        Assert.Contains("adjustment-item", WorkflowCatalog.Workflows.Keys);
        Assert.Contains("adjustment-sharing", WorkflowCatalog.Workflows.Keys);
        Assert.Contains("adjustment-review", WorkflowCatalog.Workflows.Keys);
    }
}
