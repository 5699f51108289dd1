using MhaRights.Server.Rights.Duties;
using Stateless;
using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the explanation-duty machine (section-132.md §8.2).</summary>
public enum DutyEvent
{
    AttemptUnderstood,
    AttemptUnsuccessful,
    ScheduleReattempt,
    DeadlinePassed,
    ReminderFallsDue,
    ReexplanationRaised,
    AttemptVoided,
    Supersede,
    Close,
    MarkNotApplicable,
}

/// <summary>
/// The explanation duties (s132(1), s132(2), s132A, s130D): due → attempted → re-attempt scheduled → understood;
/// understood → reminder due (periodic or event) → understood again; overdue when a deadline passes; superseded,
/// closed or not applicable at the end. The duty is best-endeavours about understanding (§1.1, §2.5), so an
/// unsuccessful attempt always schedules another.
/// </summary>
public static class DutyWorkflow
{
    /// <summary>States in which a duty (explanation or notice) is still open.</summary>
    public static readonly DutyState[] OpenStates =
        [DutyState.Due, DutyState.Attempted, DutyState.ReattemptScheduled, DutyState.Understood, DutyState.ReminderDue, DutyState.Overdue];

    private static readonly DutyState[] AwaitingExplanation =
        [DutyState.Due, DutyState.Overdue, DutyState.ReattemptScheduled, DutyState.ReminderDue];

    public static bool IsOpen(DutyState state) => OpenStates.Contains(state);

    public static WorkflowMachine<DutyState, DutyEvent> For(TransitionContext<RightsDuty> context) =>
        WorkflowMachine.Create<DutyState, DutyEvent, RightsDuty>(
            context, () => context.Entity.State, s => context.Entity.State = s, "duty", Explain, Configure);

    public static StateMachineInfo Describe() => WorkflowMachine.Describe<DutyState, DutyEvent, RightsDuty>(DutyState.Due, Configure);

    // The refusals a clerk meets most often, in words about the duty rather than the machine.
    private static string? Explain(DutyState state, DutyEvent trigger, IReadOnlyList<string> unmet) => (state, trigger) switch
    {
        (DutyState.Understood, DutyEvent.AttemptUnderstood or DutyEvent.AttemptUnsuccessful) =>
            "This duty is already understood; record a new explanation only after a change of section or a re-explanation trigger.",
        (DutyState.Superseded, _) => "This duty was superseded by a later duty (a change of section or provision); record the explanation against the current duty.",
        (DutyState.Closed, _) => "This duty is closed because the legal status it belonged to has ended; nothing more can be recorded against it.",
        (DutyState.NotApplicable, _) => "This duty was marked not applicable; nothing more can be recorded against it.",
        (_, DutyEvent.AttemptVoided) => $"This duty is {TransitionMessages.Words(state)} and has no standing explanation attempt to void.",
        _ => null,
    };

    private static void Configure(StateMachine<DutyState, DutyEvent> m, TransitionContext<RightsDuty> c)
    {
        foreach (var state in AwaitingExplanation)
        {
            m.Configure(state)
                .Permit(DutyEvent.AttemptUnderstood, DutyState.Understood)
                .Permit(DutyEvent.AttemptUnsuccessful, DutyState.Attempted);
        }

        m.Configure(DutyState.Attempted)
            .PermitIf(DutyEvent.ScheduleReattempt, DutyState.ReattemptScheduled, () => c.Entity.NextAttemptTime is not null, "a next attempt time is set")
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);

        m.Configure(DutyState.Due)
            .PermitIf(DutyEvent.DeadlinePassed, DutyState.Overdue, () => c.Entity.DueTime is not null, "the duty has a deadline")
            .Ignore(DutyEvent.ReexplanationRaised);
        m.Configure(DutyState.ReminderDue)
            .PermitIf(DutyEvent.DeadlinePassed, DutyState.Overdue, () => c.Entity.DueTime is not null, "the duty has a deadline")
            .Ignore(DutyEvent.ReexplanationRaised)
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);
        m.Configure(DutyState.Overdue)
            .Ignore(DutyEvent.ReexplanationRaised)
            .Ignore(DutyEvent.DeadlinePassed);
        m.Configure(DutyState.ReattemptScheduled)
            .Ignore(DutyEvent.ReexplanationRaised)
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);
        m.Configure(DutyState.Understood)
            .PermitIf(DutyEvent.ReminderFallsDue, DutyState.ReminderDue, () => c.Entity.NextReminderTime is not null, "a periodic reminder is scheduled")
            .Permit(DutyEvent.ReexplanationRaised, DutyState.ReminderDue)
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);

        foreach (var state in OpenStates)
        {
            m.Configure(state)
                .Permit(DutyEvent.Supersede, DutyState.Superseded)
                .Permit(DutyEvent.Close, DutyState.Closed)
                .Permit(DutyEvent.MarkNotApplicable, DutyState.NotApplicable);
        }

        m.Configure(DutyState.Superseded);
        m.Configure(DutyState.Closed);
        m.Configure(DutyState.NotApplicable);
    }
}
