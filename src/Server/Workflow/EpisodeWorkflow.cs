using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Rules;
using Stateless;
using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the legal-status episode machine.</summary>
public enum EpisodeEvent
{
    ChangeProvision,
    Renew,
    Transfer,
    PlanDischarge,
    RecordMedicationStart,
    Recall,
    ReleaseFromRecall,
    Revoke,
    End,
}

/// <summary>
/// Legal status episodes: active → superseded (change of provision, revocation) or ended; a CTO is recalled and
/// released; a recall episode ends on release or is superseded by revocation (section-132.md §3.1, §8.1).
/// </summary>
public static class EpisodeWorkflow
{
    public static WorkflowMachine<EpisodeState, EpisodeEvent> For(TransitionContext<LegalStatusEpisode> context) =>
        WorkflowMachine.Create<EpisodeState, EpisodeEvent, LegalStatusEpisode>(
            context, () => context.Entity.State, s => context.Entity.State = s, "legal status episode", Explain, Configure);

    public static StateMachineInfo Describe() => WorkflowMachine.Describe<EpisodeState, EpisodeEvent, LegalStatusEpisode>(EpisodeState.Active, Configure);

    private static bool IsCto(TransitionContext<LegalStatusEpisode> c) => c.Entity.Provision == Provision.CommunityTreatmentOrder;

    private static bool IsRecall(TransitionContext<LegalStatusEpisode> c) => c.Entity.Provision == Provision.CommunityTreatmentOrderRecall;

    private static string? Explain(EpisodeState state, EpisodeEvent trigger, IReadOnlyList<string> unmet) => state switch
    {
        EpisodeState.Ended => "This legal status episode has already ended; record a new episode for any later detention or order.",
        EpisodeState.Superseded => "This legal status episode was superseded by a later one; make the change on the current episode.",
        _ => null,
    };

    private static void Configure(StateMachine<EpisodeState, EpisodeEvent> m, TransitionContext<LegalStatusEpisode> c)
    {
        const string NotRecall = "not a CTO recall (release or revoke it instead)";
        m.Configure(EpisodeState.Active)
            .PermitIf(EpisodeEvent.ChangeProvision, EpisodeState.Superseded, () => !IsRecall(c), NotRecall)
            .AuditedInternal(EpisodeEvent.Renew, c, "the provision has a fixed period that can be renewed", () => c.Entity.ExpiryTime is not null)
            .AuditedInternal(EpisodeEvent.Transfer, c, "the patient is in hospital (not on a CTO)", () => !IsCto(c))
            .AuditedInternal(EpisodeEvent.PlanDischarge, c, "record planned discharge (internal)")
            .AuditedInternal(EpisodeEvent.RecordMedicationStart, c, "a detention without a recorded first medication",
                () => !IsCto(c) && c.Entity.FirstMedicationTime is null)
            .PermitIf(EpisodeEvent.Recall, EpisodeState.Recalled, () => IsCto(c), "the episode is a CTO")
            .PermitIf(EpisodeEvent.ReleaseFromRecall, EpisodeState.Ended, () => IsRecall(c), "the episode is a CTO recall")
            .PermitIf(EpisodeEvent.Revoke, EpisodeState.Superseded, () => IsRecall(c), "the episode is a CTO recall")
            .PermitIf(EpisodeEvent.End, EpisodeState.Ended, () => !IsRecall(c), NotRecall);
        m.Configure(EpisodeState.Recalled)
            .Permit(EpisodeEvent.ReleaseFromRecall, EpisodeState.Active)
            .Permit(EpisodeEvent.Revoke, EpisodeState.Superseded)
            .Permit(EpisodeEvent.End, EpisodeState.Ended);
        m.Configure(EpisodeState.Superseded);
        m.Configure(EpisodeState.Ended);
    }
}
