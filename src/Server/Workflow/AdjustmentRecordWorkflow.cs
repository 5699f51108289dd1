using MhaRights.Server.Adjustments;
using MhaRights.StateMachine;

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
    public static StateMachineDefinition<AdjustmentRecordState, AdjustmentRecordEvent, TransitionContext<AdjustmentRecord>> Definition { get; } = Build();

    public static StateMachine<AdjustmentRecordState, AdjustmentRecordEvent, TransitionContext<AdjustmentRecord>> For(TransitionContext<AdjustmentRecord> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Definition.CreateInstance(() => context.Entity.State, s => context.Entity.State = s, context);
    }

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

    private static StateMachineDefinition<AdjustmentRecordState, AdjustmentRecordEvent, TransitionContext<AdjustmentRecord>> Build()
    {
        var b = new StateMachineBuilder<AdjustmentRecordState, AdjustmentRecordEvent, TransitionContext<AdjustmentRecord>>();
        (Func<TransitionContext<AdjustmentRecord>, bool>, string)[] removeGuards =
        [
            (RemovedForReason, "a national removal reason other than Error is recorded"),
            (HasComment, "a supporting comment is recorded"),
            (BestInterestRecordedIfNeeded, "a best-interest removal records the decision maker and summary"),
        ];
        (Func<TransitionContext<AdjustmentRecord>, bool>, string)[] errorGuards =
        [
            (RemovedAsError, "the removal reason is Error"),
            (HasComment, "a supporting comment is recorded"),
        ];

        b.Configure(AdjustmentRecordState.None)
            .Permit(AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified);

        foreach (var open in AdjustmentRules.OpenRecordStates)
        {
            b.Configure(open)
                .PermitIf(AdjustmentRecordEvent.Remove, AdjustmentRecordState.Removed, removeGuards)
                .PermitIf(AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError, errorGuards)
                .InternalTransition(AdjustmentRecordEvent.ChangeItems, (_, _) => { }, "add, remove or replace an item")
                .InternalTransition(AdjustmentRecordEvent.RecordSharingDecision, (_, _) => { }, "record who decided about national sharing");
        }

        b.Configure(AdjustmentRecordState.Identified)
            .PermitIf(AdjustmentRecordEvent.Activate, AdjustmentRecordState.Active,
                (ThresholdConfirmed, "a clinician confirmed the Equality Act threshold"),
                (ReviewDateSet, "a first review date is set"));

        // §7.5 step 1: only an ACTIVE record is exported; reviews (§3.5) concern the flag in force.
        b.Configure(AdjustmentRecordState.Active)
            .InternalTransition(AdjustmentRecordEvent.MarkReviewed, (_, _) => { }, "record the review")
            .InternalTransition(AdjustmentRecordEvent.Export, (_, _) => { }, "build the national Patient Flags bundle");

        // An ended record can be reopened when a need is identified again (history and removed items are kept);
        // a removed record found to have been an error is corrected to ENTERED_IN_ERROR.
        b.Configure(AdjustmentRecordState.Removed)
            .Permit(AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified)
            .PermitIf(AdjustmentRecordEvent.MarkEnteredInError, AdjustmentRecordState.EnteredInError, errorGuards);
        b.Configure(AdjustmentRecordState.EnteredInError)
            .Permit(AdjustmentRecordEvent.Identify, AdjustmentRecordState.Identified);

        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(AdjustmentRecordState.None);
    }
}
