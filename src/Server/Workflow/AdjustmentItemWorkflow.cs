using MhaRights.Server.Adjustments;
using Stateless;
using Stateless.Reflection;

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
    public static WorkflowMachine<AdjustmentItemState, AdjustmentItemEvent> For(TransitionContext<AdjustmentItem> context) =>
        WorkflowMachine.Create<AdjustmentItemState, AdjustmentItemEvent, AdjustmentItem>(
            context, () => context.Entity.State, s => context.Entity.State = s, "adjustment item", Explain, Configure);

    public static StateMachineInfo Describe() =>
        WorkflowMachine.Describe<AdjustmentItemState, AdjustmentItemEvent, AdjustmentItem>(AdjustmentItemState.Active, Configure);

    private static bool RemovedForReason(TransitionContext<AdjustmentItem> c) =>
        c.Entity.Removal.ReasonCode is { } reason && reason != AdjustmentRules.ErrorReason;

    private static bool RemovedAsError(TransitionContext<AdjustmentItem> c) => c.Entity.Removal.ReasonCode == AdjustmentRules.ErrorReason;

    // §2.3: the supporting comment is mandatory for every item removal.
    private static bool HasComment(TransitionContext<AdjustmentItem> c) => !string.IsNullOrWhiteSpace(c.Entity.Removal.Comment);

    private static bool BestInterestRecordedIfNeeded(TransitionContext<AdjustmentItem> c) =>
        c.Entity.Removal.ReasonCode != AdjustmentRules.BestInterestReason || c.Entity.Removal.BestInterest.IsSet;

    // §7.1: an edit is remove + create linked by supersedes; the old item must name its replacement.
    private static bool ReplacementLinked(TransitionContext<AdjustmentItem> c) => c.Entity.SupersededById is not null;

    private static string? Explain(AdjustmentItemState state, AdjustmentItemEvent trigger, IReadOnlyList<string> unmet) => state switch
    {
        AdjustmentItemState.Removed when trigger != AdjustmentItemEvent.MarkEnteredInError =>
            "This item has already been removed; record a new item if the need applies again.",
        AdjustmentItemState.EnteredInError => "This item was recorded in error and is kept only for audit; it cannot be changed.",
        _ => null,
    };

    private static void Configure(StateMachine<AdjustmentItemState, AdjustmentItemEvent> m, TransitionContext<AdjustmentItem> c)
    {
        var reason = Tuple.Create<Func<bool>, string>(() => RemovedForReason(c), "a national removal reason other than Error is recorded");
        var error = Tuple.Create<Func<bool>, string>(() => RemovedAsError(c), "the removal reason is Error");
        var comment = Tuple.Create<Func<bool>, string>(() => HasComment(c), "a supporting comment is recorded");
        var bestInterest = Tuple.Create<Func<bool>, string>(() => BestInterestRecordedIfNeeded(c), "a best-interest removal records the decision maker and summary");

        m.Configure(AdjustmentItemState.Active)
            .PermitIf(AdjustmentItemEvent.Remove, AdjustmentItemState.Removed, reason, comment, bestInterest)
            .PermitIf(AdjustmentItemEvent.Supersede, AdjustmentItemState.Removed,
                Tuple.Create<Func<bool>, string>(() => ReplacementLinked(c), "the replacement item is linked"), reason, comment, bestInterest)
            .PermitIf(AdjustmentItemEvent.MarkEnteredInError, AdjustmentItemState.EnteredInError, error, comment);

        // A removed item later found to have been an error is corrected (kept for audit, hidden from clinical views).
        m.Configure(AdjustmentItemState.Removed)
            .PermitIf(AdjustmentItemEvent.MarkEnteredInError, AdjustmentItemState.EnteredInError, error, comment);
        m.Configure(AdjustmentItemState.EnteredInError);
    }
}
