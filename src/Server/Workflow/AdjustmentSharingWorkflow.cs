using MhaRights.Server.Adjustments;
using Stateless;
using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the national-sharing machine.</summary>
public enum AdjustmentSharingEvent
{
    /// <summary>The record (or a change to it) is queued for the national Patient Flags service.</summary>
    Queue,

    /// <summary>The patient or their representative declined national sharing.</summary>
    Withhold,

    /// <summary>The record ended: a national copy that may exist is to be deleted.</summary>
    Unshare,

    /// <summary>The national call succeeded (create or delete).</summary>
    NationalSucceeded,

    /// <summary>The national call failed; the OperationOutcome is kept.</summary>
    NationalFailed,

    /// <summary>A national read differed from the local record.</summary>
    NationalDiffers,
}

/// <summary>
/// National sharing, orthogonal to the record lifecycle (domain notes §7.1, §7.2): not shared → pending → shared /
/// failed; withheld while the patient or proxy declines (§3.1); out of sync when the national copy differs. Queue and
/// Unshare come from local changes; the National* triggers are for the sync job that calls the Patient Flags API.
/// </summary>
public static class AdjustmentSharingWorkflow
{
    private static readonly AdjustmentSharingState[] Withholdable =
    [
        AdjustmentSharingState.NotShared, AdjustmentSharingState.Pending, AdjustmentSharingState.Shared,
        AdjustmentSharingState.Failed, AdjustmentSharingState.OutOfSync,
    ];

    public static WorkflowMachine<AdjustmentSharingState, AdjustmentSharingEvent> For(TransitionContext<AdjustmentRecord> context) =>
        WorkflowMachine.Create<AdjustmentSharingState, AdjustmentSharingEvent, AdjustmentRecord>(
            context, () => context.Entity.SharingState, s => context.Entity.SharingState = s, "national sharing", Explain, Configure);

    public static StateMachineInfo Describe() =>
        WorkflowMachine.Describe<AdjustmentSharingState, AdjustmentSharingEvent, AdjustmentRecord>(AdjustmentSharingState.NotShared, Configure);

    // §7.2: "record ACTIVE and decision ≠ declined" (and a decision was taken).
    private static bool RecordActive(TransitionContext<AdjustmentRecord> c) => c.Entity.State == AdjustmentRecordState.Active;

    private static bool RecordEnded(TransitionContext<AdjustmentRecord> c) => !AdjustmentRules.IsOpen(c.Entity.State);

    private static bool DecisionAllows(TransitionContext<AdjustmentRecord> c) => AdjustmentRules.DecisionAllowsSharing[c.Entity.SharingDecision.Decision];

    // §3.1: block national upload when declined.
    private static bool Declined(TransitionContext<AdjustmentRecord> c) => c.Entity.SharingDecision.Decision == SharingDecision.Declined;

    private static string? Explain(AdjustmentSharingState state, AdjustmentSharingEvent trigger, IReadOnlyList<string> unmet) => (state, trigger) switch
    {
        (_, AdjustmentSharingEvent.NationalSucceeded or AdjustmentSharingEvent.NationalFailed) when state != AdjustmentSharingState.Pending =>
            $"Nothing is waiting for the national Patient Flags service (sharing is {TransitionMessages.Words(state)}).",
        _ => null,
    };

    private static void Configure(StateMachine<AdjustmentSharingState, AdjustmentSharingEvent> m, TransitionContext<AdjustmentRecord> c)
    {
        var active = Tuple.Create<Func<bool>, string>(() => RecordActive(c), "the record is ACTIVE");
        var allows = Tuple.Create<Func<bool>, string>(() => DecisionAllows(c), "a sharing decision other than DECLINED is held");
        var ended = Tuple.Create<Func<bool>, string>(() => RecordEnded(c), "the record has ended");

        foreach (var state in Withholdable)
        {
            m.Configure(state).PermitIf(AdjustmentSharingEvent.Withhold, AdjustmentSharingState.Withheld, () => Declined(c), "the sharing decision is DECLINED");
        }

        // Queue: first share, retry after a failure, re-send after a local change or reconciliation, and resume after
        // the patient withdrew an objection.
        foreach (var state in new[] { AdjustmentSharingState.NotShared, AdjustmentSharingState.Shared, AdjustmentSharingState.Failed, AdjustmentSharingState.OutOfSync, AdjustmentSharingState.Withheld })
        {
            m.Configure(state).PermitIf(AdjustmentSharingEvent.Queue, AdjustmentSharingState.Pending, active, allows);
        }

        // §7.2 "REMOVED (local) → national DELETE": a copy that may exist is deleted; nothing to do otherwise.
        foreach (var state in AdjustmentRules.NationalCopyMayExist)
        {
            m.Configure(state).PermitIf(AdjustmentSharingEvent.Unshare, AdjustmentSharingState.Pending, ended);
        }

        m.Configure(AdjustmentSharingState.NotShared).Ignore(AdjustmentSharingEvent.Unshare);
        m.Configure(AdjustmentSharingState.Withheld)
            .Ignore(AdjustmentSharingEvent.Unshare)
            .Ignore(AdjustmentSharingEvent.Withhold);
        m.Configure(AdjustmentSharingState.Pending)
            .Ignore(AdjustmentSharingEvent.Queue)
            .Ignore(AdjustmentSharingEvent.Unshare)
            .PermitIf(AdjustmentSharingEvent.NationalSucceeded, AdjustmentSharingState.Shared, active)
            .PermitIf(AdjustmentSharingEvent.NationalSucceeded, AdjustmentSharingState.NotShared, ended)
            .Permit(AdjustmentSharingEvent.NationalFailed, AdjustmentSharingState.Failed);
        m.Configure(AdjustmentSharingState.Shared)
            .Permit(AdjustmentSharingEvent.NationalDiffers, AdjustmentSharingState.OutOfSync);
    }
}
