using MhaRights.Server.Adjustments;
using MhaRights.StateMachine;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the adjustment-item machine.</summary>
public enum AdjustmentItemEvent
{
    /// <summary>The item no longer applies (national removal reason + comment).</summary>
    Remove,

    /// <summary>The item is edited: it ends and a replacement names it in <c>supersedes</c>.</summary>
    Supersede,

    /// <summary>The item was recorded in error.</summary>
    MarkEnteredInError,
}

/// <summary>
/// Items (adjustments, impairments, underlying conditions) of domain notes §7.1: active → removed (reason from the
/// national list + mandatory comment) | entered in error. There is no edit: an edit supersedes the item with a new
/// one (§3.3; Gen 1 soft delete, Gen 3 no update). Removal data is set before firing so the guards check it.
/// </summary>
public static class AdjustmentItemWorkflow
{
    public static StateMachineDefinition<AdjustmentItemState, AdjustmentItemEvent, TransitionContext<AdjustmentItem>> Definition { get; } = Build();

    public static StateMachine<AdjustmentItemState, AdjustmentItemEvent, TransitionContext<AdjustmentItem>> For(TransitionContext<AdjustmentItem> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Definition.CreateInstance(() => context.Entity.State, s => context.Entity.State = s, context);
    }

    private static bool RemovedForReason(TransitionContext<AdjustmentItem> c) =>
        c.Entity.Removal.ReasonCode is { } reason && reason != AdjustmentRules.ErrorReason;

    private static bool RemovedAsError(TransitionContext<AdjustmentItem> c) => c.Entity.Removal.ReasonCode == AdjustmentRules.ErrorReason;

    // §2.3: the supporting comment is mandatory for every item removal.
    private static bool HasComment(TransitionContext<AdjustmentItem> c) => !string.IsNullOrWhiteSpace(c.Entity.Removal.Comment);

    private static bool BestInterestRecordedIfNeeded(TransitionContext<AdjustmentItem> c) =>
        c.Entity.Removal.ReasonCode != AdjustmentRules.BestInterestReason || c.Entity.Removal.BestInterest.IsSet;

    // §7.1: an edit is remove + create linked by supersedes; the old item must name its replacement.
    private static bool ReplacementLinked(TransitionContext<AdjustmentItem> c) => c.Entity.SupersededById is not null;

    private static StateMachineDefinition<AdjustmentItemState, AdjustmentItemEvent, TransitionContext<AdjustmentItem>> Build()
    {
        var b = new StateMachineBuilder<AdjustmentItemState, AdjustmentItemEvent, TransitionContext<AdjustmentItem>>();
        var reason = (Guard: (Func<TransitionContext<AdjustmentItem>, bool>)RemovedForReason, Description: "a national removal reason other than Error is recorded");
        var error = (Guard: (Func<TransitionContext<AdjustmentItem>, bool>)RemovedAsError, Description: "the removal reason is Error");
        var comment = (Guard: (Func<TransitionContext<AdjustmentItem>, bool>)HasComment, Description: "a supporting comment is recorded");
        var bestInterest = (Guard: (Func<TransitionContext<AdjustmentItem>, bool>)BestInterestRecordedIfNeeded, Description: "a best-interest removal records the decision maker and summary");

        b.Configure(AdjustmentItemState.Active)
            .PermitIf(AdjustmentItemEvent.Remove, AdjustmentItemState.Removed, reason, comment, bestInterest)
            .PermitIf(AdjustmentItemEvent.Supersede, AdjustmentItemState.Removed, (ReplacementLinked, "the replacement item is linked"), reason, comment, bestInterest)
            .PermitIf(AdjustmentItemEvent.MarkEnteredInError, AdjustmentItemState.EnteredInError, error, comment);

        // A removed item later found to have been an error is corrected (kept for audit, hidden from clinical views).
        b.Configure(AdjustmentItemState.Removed)
            .PermitIf(AdjustmentItemEvent.MarkEnteredInError, AdjustmentItemState.EnteredInError, error, comment);
        b.Configure(AdjustmentItemState.EnteredInError);
        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(AdjustmentItemState.Active);
    }
}
