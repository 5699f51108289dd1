using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Rules;
using MhaRights.StateMachine;

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
    public static StateMachineDefinition<EpisodeState, EpisodeEvent, TransitionContext<LegalStatusEpisode>> Definition { get; } = Build();

    public static StateMachine<EpisodeState, EpisodeEvent, TransitionContext<LegalStatusEpisode>> For(TransitionContext<LegalStatusEpisode> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Definition.CreateInstance(() => context.Entity.State, s => context.Entity.State = s, context);
    }

    private static bool IsCto(TransitionContext<LegalStatusEpisode> c) => c.Entity.Provision == Provision.CommunityTreatmentOrder;

    private static bool IsRecall(TransitionContext<LegalStatusEpisode> c) => c.Entity.Provision == Provision.CommunityTreatmentOrderRecall;

    private static StateMachineDefinition<EpisodeState, EpisodeEvent, TransitionContext<LegalStatusEpisode>> Build()
    {
        var b = new StateMachineBuilder<EpisodeState, EpisodeEvent, TransitionContext<LegalStatusEpisode>>();
        b.Configure(EpisodeState.Active)
            .PermitIf(EpisodeEvent.ChangeProvision, EpisodeState.Superseded, c => !IsRecall(c), "not a CTO recall (release or revoke it instead)")
            .InternalTransitionIf(EpisodeEvent.Renew, c => c.Entity.ExpiryTime is not null, "the provision has a fixed period that can be renewed", (_, _) => { }, "extend expiry")
            .InternalTransitionIf(EpisodeEvent.Transfer, c => !IsCto(c), "the patient is in hospital (not on a CTO)", (_, _) => { }, "change hospital")
            .InternalTransition(EpisodeEvent.PlanDischarge, (_, _) => { }, "record planned discharge")
            .InternalTransitionIf(EpisodeEvent.RecordMedicationStart, c => !IsCto(c) && c.Entity.FirstMedicationTime is null, "a detention without a recorded first medication", (_, _) => { }, "start Part 4 clock")
            .PermitIf(EpisodeEvent.Recall, EpisodeState.Recalled, IsCto, "the episode is a CTO")
            .PermitIf(EpisodeEvent.ReleaseFromRecall, EpisodeState.Ended, IsRecall, "the episode is a CTO recall")
            .PermitIf(EpisodeEvent.Revoke, EpisodeState.Superseded, IsRecall, "the episode is a CTO recall")
            .PermitIf(EpisodeEvent.End, EpisodeState.Ended, c => !IsRecall(c), "not a CTO recall (release or revoke it instead)");
        b.Configure(EpisodeState.Recalled)
            .Permit(EpisodeEvent.ReleaseFromRecall, EpisodeState.Active)
            .Permit(EpisodeEvent.Revoke, EpisodeState.Superseded)
            .Permit(EpisodeEvent.End, EpisodeState.Ended);
        b.Configure(EpisodeState.Superseded);
        b.Configure(EpisodeState.Ended);
        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(EpisodeState.Active);
    }
}
