using MhaRights.Server.Adjustments;
using MhaRights.StateMachine;

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

    public static StateMachineDefinition<AdjustmentReviewState, AdjustmentReviewEvent, TransitionContext<AdjustmentRecord>> Definition { get; } = Build();

    public static StateMachine<AdjustmentReviewState, AdjustmentReviewEvent, TransitionContext<AdjustmentRecord>> For(TransitionContext<AdjustmentRecord> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Definition.CreateInstance(() => context.Entity.ReviewState, s => context.Entity.ReviewState = s, context);
    }

    private static bool DueDateSet(TransitionContext<AdjustmentRecord> c) => c.Entity.ReviewDueTime is not null;

    private static bool RecordActive(TransitionContext<AdjustmentRecord> c) => c.Entity.State == AdjustmentRecordState.Active;

    private static StateMachineDefinition<AdjustmentReviewState, AdjustmentReviewEvent, TransitionContext<AdjustmentRecord>> Build()
    {
        var b = new StateMachineBuilder<AdjustmentReviewState, AdjustmentReviewEvent, TransitionContext<AdjustmentRecord>>();
        b.Configure(AdjustmentReviewState.NotApplicable)
            .PermitIf(AdjustmentReviewEvent.Schedule, AdjustmentReviewState.Reviewed,
                (RecordActive, "the record is ACTIVE"), (DueDateSet, "a review date is set"))
            .Ignore(AdjustmentReviewEvent.Close);
        b.Configure(AdjustmentReviewState.Reviewed)
            .PermitIf(AdjustmentReviewEvent.ReviewFallsDue, AdjustmentReviewState.ReviewDue, (DueDateSet, "a review date is set"))
            .InternalTransitionIf(AdjustmentReviewEvent.MarkReviewed, DueDateSet, "the next review date is set", (_, _) => { }, "review early");
        b.Configure(AdjustmentReviewState.ReviewDue)
            .PermitIf(AdjustmentReviewEvent.MarkReviewed, AdjustmentReviewState.Reviewed, (DueDateSet, "the next review date is set"))
            .Ignore(AdjustmentReviewEvent.ReviewFallsDue);
        foreach (var state in Scheduled)
        {
            b.Configure(state).Permit(AdjustmentReviewEvent.Close, AdjustmentReviewState.NotApplicable);
        }

        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(AdjustmentReviewState.NotApplicable);
    }
}
