using MhaRights.Server.Rights.Duties;
using MhaRights.StateMachine;

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

    public static StateMachineDefinition<DutyState, DutyEvent, TransitionContext<RightsDuty>> Definition { get; } = Build();

    public static bool IsOpen(DutyState state) => OpenStates.Contains(state);

    public static StateMachine<DutyState, DutyEvent, TransitionContext<RightsDuty>> For(TransitionContext<RightsDuty> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Definition.CreateInstance(() => context.Entity.State, s => context.Entity.State = s, context);
    }

    private static StateMachineDefinition<DutyState, DutyEvent, TransitionContext<RightsDuty>> Build()
    {
        var b = new StateMachineBuilder<DutyState, DutyEvent, TransitionContext<RightsDuty>>();

        foreach (var state in AwaitingExplanation)
        {
            b.Configure(state)
                .Permit(DutyEvent.AttemptUnderstood, DutyState.Understood)
                .Permit(DutyEvent.AttemptUnsuccessful, DutyState.Attempted);
        }

        b.Configure(DutyState.Attempted)
            .PermitIf(DutyEvent.ScheduleReattempt, DutyState.ReattemptScheduled, c => c.Entity.NextAttemptTime is not null, "a next attempt time is set")
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);

        b.Configure(DutyState.Due)
            .PermitIf(DutyEvent.DeadlinePassed, DutyState.Overdue, c => c.Entity.DueTime is not null, "the duty has a deadline")
            .Ignore(DutyEvent.ReexplanationRaised);
        b.Configure(DutyState.ReminderDue)
            .PermitIf(DutyEvent.DeadlinePassed, DutyState.Overdue, c => c.Entity.DueTime is not null, "the duty has a deadline")
            .Ignore(DutyEvent.ReexplanationRaised)
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);
        b.Configure(DutyState.Overdue)
            .Ignore(DutyEvent.ReexplanationRaised)
            .Ignore(DutyEvent.DeadlinePassed);
        b.Configure(DutyState.ReattemptScheduled)
            .Ignore(DutyEvent.ReexplanationRaised)
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);
        b.Configure(DutyState.Understood)
            .PermitIf(DutyEvent.ReminderFallsDue, DutyState.ReminderDue, c => c.Entity.NextReminderTime is not null, "a periodic reminder is scheduled")
            .Permit(DutyEvent.ReexplanationRaised, DutyState.ReminderDue)
            .Permit(DutyEvent.AttemptVoided, DutyState.Due);

        foreach (var state in OpenStates)
        {
            b.Configure(state)
                .Permit(DutyEvent.Supersede, DutyState.Superseded)
                .Permit(DutyEvent.Close, DutyState.Closed)
                .Permit(DutyEvent.MarkNotApplicable, DutyState.NotApplicable);
        }

        b.Configure(DutyState.Superseded);
        b.Configure(DutyState.Closed);
        b.Configure(DutyState.NotApplicable);
        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(DutyState.Due);
    }
}
