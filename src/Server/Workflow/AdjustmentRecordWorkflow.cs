using MhaRights.Server.Adjustments;
using Stateless;
using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the reasonable-adjustment record machine.</summary>
public enum AdjustmentRecordEvent
{
    /// <summary>A need is identified (registration question, AIS assessment, referral...), or an ended record reopens.</summary>
    Identify,

    /// <summary>A clinician confirms the Equality Act threshold.</summary>
    Activate,

    /// <summary>The whole record ends with a national removal reason and comment.</summary>
    Remove,

    /// <summary>The whole record was created in error.</summary>
    MarkEnteredInError,

    /// <summary>An adjustment, impairment or condition is added, removed or replaced.</summary>
    ChangeItems,

    /// <summary>A national-sharing decision is recorded.</summary>
    RecordSharingDecision,

    /// <summary>The adjustments were reviewed with the patient.</summary>
    MarkReviewed,

    /// <summary>The record is exported to the national format (checked, not fired: an export changes nothing).</summary>
    Export,
}

/// <summary>
/// The record lifecycle of domain notes §7.1/§7.2: none → identified → active → removed / entered in error, with
/// reopening of an ended record; item changes and sharing decisions are internal transitions of an open record.
/// Sharing and review are orthogonal machines on the same entity (AdjustmentSharingWorkflow, AdjustmentReviewWorkflow).
/// Removal data is written to the entity before firing, so the guards check what will be stored.
/// </summary>
public static class AdjustmentRecordWorkflow
{
    public static WorkflowMachine<AdjustmentRecordState, AdjustmentRecordEvent> For(TransitionContext<AdjustmentRecord> context) =>
        WorkflowMachine.Create<AdjustmentRecordState, AdjustmentRecordEvent, AdjustmentRecord>(
            context, () => context.Entity.State, s => context.Entity.State = s, "adjustment record", Explain, Configure);

    public static StateMachineInfo Describe() =>
        WorkflowMachine.Describe<AdjustmentRecordState, AdjustmentRecordEvent, AdjustmentRecord>(AdjustmentRecordState.None, Configure);

    // §1.3: a flag is created only once a clinician confirms the threshold (NCRS records 1326341000000105).
    private static bool ThresholdConfirmed(TransitionContext<AdjustmentRecord> c) => c.Entity.ThresholdConfirmed.IsSet;

    // §2.3: "Error" means entered in error, every other national reason means removed.
    private static bool RemovedForReason(TransitionContext<AdjustmentRecord> c) =>
        c.Entity.Removal.ReasonCode is { } reason && reason != AdjustmentRules.ErrorReason;

    private static bool RemovedAsError(TransitionContext<AdjustmentRecord> c) => c.Entity.Removal.ReasonCode == AdjustmentRules.ErrorReason;

    // §2.3 (IG 0.3.4-beta): a supporting comment is mandatory when removing the flag.
    private static bool HasComment(TransitionContext<AdjustmentRecord> c) => !string.IsNullOrWhiteSpace(c.Entity.Removal.Comment);

    // §7.2: a best-interest removal needs the decision maker and summary.
    private static bool BestInterestRecordedIfNeeded(TransitionContext<AdjustmentRecord> c) =>
        c.Entity.Removal.ReasonCode != AdjustmentRules.BestInterestReason || c.Entity.Removal.BestInterest.IsSet;

    private static bool ReviewDateSet(TransitionContext<AdjustmentRecord> c) => c.Entity.ReviewDueTime is not null;

    private static string? Explain(AdjustmentRecordState state, AdjustmentRecordEvent trigger, IReadOnlyList<string> unmet) => (state, trigger) switch
    {
        (AdjustmentRecordState.None, _) => "This patient has no reasonable-adjustment record yet; identify a need first.",
        (_, AdjustmentRecordEvent.Export) => $"Only an ACTIVE adjustment record is exported; this one is {TransitionMessages.Words(state)}.",
        (AdjustmentRecordState.Removed or AdjustmentRecordState.EnteredInError, not AdjustmentRecordEvent.MarkEnteredInError) =>
            $"This adjustment record has ended ({TransitionMessages.Words(state)}); reopen it by identifying a need again before changing it.",
        (AdjustmentRecordState.Identified, AdjustmentRecordEvent.MarkReviewed) =>
            "This adjustment record is not active yet; a review is recorded once a clinician has confirmed the Equality Act threshold.",
        _ => null,
    };

    private static void Configure(StateMachine<AdjustmentRecordState, AdjustmentRecordEvent> m, TransitionContext<AdjustmentRecord> c)
    {
        Tuple<Func<bool>, string>[] removeGuards =
        [
            Tuple.Create<Func<bool>, string>(() => RemovedForReason(c), "a national removal reason other than Error is recorded"),
            Tuple.Create<Func<bool>, string>(() => HasComment(c), "a supporting comment is recorded"),
            Tuple.Create<Func<bool>, string>(() => BestInterestRecordedIfNeeded(c), "a best-interest removal records the decision maker and summary"),
        ];
        Tuple<Func<bool>, string>[] errorGuards =
        [
            Tuple.Create<Func<bool>, string>(() => RemovedAsError(c), "the removal reason is Error"),
            Tuple.Create<Func<bool>, string>(() => HasComment(c), "a supporting comment is recorded"),
        ];

        m.Configure(AdjustmentRecordState.None)
            .Permit(AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified);

        foreach (var open in AdjustmentRules.OpenRecordStates)
        {
            m.Configure(open)
                .PermitIf(AdjustmentRecordEvent.Remove, AdjustmentRecordState.Removed, removeGuards)
                .PermitIf(AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError, errorGuards)
                .AuditedInternal(AdjustmentRecordEvent.ChangeItems, c, "add, remove or replace an item (internal)")
                .AuditedInternal(AdjustmentRecordEvent.RecordSharingDecision, c, "record who decided about national sharing (internal)");
        }

        m.Configure(AdjustmentRecordState.Identified)
            .PermitIf(AdjustmentRecordEvent.Activate, AdjustmentRecordState.Active,
                Tuple.Create<Func<bool>, string>(() => ThresholdConfirmed(c), "a clinician confirmed the Equality Act threshold"),
                Tuple.Create<Func<bool>, string>(() => ReviewDateSet(c), "a first review date is set"));

        // §7.5 step 1: only an ACTIVE record is exported; reviews (§3.5) concern the flag in force.
        m.Configure(AdjustmentRecordState.Active)
            .AuditedInternal(AdjustmentRecordEvent.MarkReviewed, c, "record the review (internal)")
            .AuditedInternal(AdjustmentRecordEvent.Export, c, "build the national Patient Flags bundle (internal)");

        // An ended record can be reopened when a need is identified again (history and removed items are kept);
        // a removed record found to have been an error is corrected to ENTERED_IN_ERROR.
        m.Configure(AdjustmentRecordState.Removed)
            .Permit(AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified)
            .PermitIf(AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError, errorGuards);
        m.Configure(AdjustmentRecordState.EnteredInError)
            .Permit(AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified);
    }
}
