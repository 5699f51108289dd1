using MhaRights.Server.Adjustments;
using Stateless;
using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the review machine.</summary>
public enum AdjustmentReviewEvent
{
    /// <summary>The record became ACTIVE: the first review is scheduled.</summary>
    Schedule,

    /// <summary>The review date passed (the review sweep).</summary>
    ReviewFallsDue,

    /// <summary>The adjustments were reviewed with the patient.</summary>
    MarkReviewed,

    /// <summary>The record ended: nothing to review.</summary>
    Close,
}

/// <summary>
/// Review, orthogonal to the lifecycle (domain notes §3.5, §7.1 "REVIEW_DUE(date) / REVIEWED(date, by)", §7.2
/// "any → REVIEW_DUE: review interval elapsed — scheduler"). Review scheduling is local: no national element exists.
/// </summary>
public static class AdjustmentReviewWorkflow
{
    private static readonly AdjustmentReviewState[] Scheduled = [AdjustmentReviewState.Reviewed, AdjustmentReviewState.ReviewDue];

    public static WorkflowMachine<AdjustmentReviewState, AdjustmentReviewEvent> For(TransitionContext<AdjustmentRecord> context) =>
        WorkflowMachine.Create<AdjustmentReviewState, AdjustmentReviewEvent, AdjustmentRecord>(
            context, () => context.Entity.ReviewState, s => context.Entity.ReviewState = s, "adjustment review", Explain, Configure);

    public static StateMachineInfo Describe() =>
        WorkflowMachine.Describe<AdjustmentReviewState, AdjustmentReviewEvent, AdjustmentRecord>(AdjustmentReviewState.NotApplicable, Configure);

    private static bool DueDateSet(TransitionContext<AdjustmentRecord> c) => c.Entity.ReviewDueTime is not null;

    private static bool RecordActive(TransitionContext<AdjustmentRecord> c) => c.Entity.State == AdjustmentRecordState.Active;

    private static string? Explain(AdjustmentReviewState state, AdjustmentReviewEvent trigger, IReadOnlyList<string> unmet) => (state, trigger) switch
    {
        (AdjustmentReviewState.NotApplicable, AdjustmentReviewEvent.MarkReviewed or AdjustmentReviewEvent.ReviewFallsDue) =>
            "No review is scheduled: reviews apply only while the adjustment record is ACTIVE.",
        _ => null,
    };

    private static void Configure(StateMachine<AdjustmentReviewState, AdjustmentReviewEvent> m, TransitionContext<AdjustmentRecord> c)
    {
        const string NextDate = "the next review date is set";
        m.Configure(AdjustmentReviewState.NotApplicable)
            .PermitIf(AdjustmentReviewEvent.Schedule, AdjustmentReviewState.Reviewed,
                Tuple.Create<Func<bool>, string>(() => RecordActive(c), "the record is ACTIVE"),
                Tuple.Create<Func<bool>, string>(() => DueDateSet(c), "a review date is set"))
            .Ignore(AdjustmentReviewEvent.Close);
        m.Configure(AdjustmentReviewState.Reviewed)
            .PermitIf(AdjustmentReviewEvent.ReviewFallsDue, AdjustmentReviewState.ReviewDue, () => DueDateSet(c), "a review date is set")
            .AuditedInternal(AdjustmentReviewEvent.MarkReviewed, c, NextDate, () => DueDateSet(c));
        m.Configure(AdjustmentReviewState.ReviewDue)
            .PermitIf(AdjustmentReviewEvent.MarkReviewed, AdjustmentReviewState.Reviewed, () => DueDateSet(c), NextDate)
            .Ignore(AdjustmentReviewEvent.ReviewFallsDue);
        foreach (var state in Scheduled)
        {
            m.Configure(state).Permit(AdjustmentReviewEvent.Close, AdjustmentReviewState.NotApplicable);
        }
    }
}
