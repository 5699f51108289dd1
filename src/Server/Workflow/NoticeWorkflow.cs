using MhaRights.Server.Rights.Duties;
using MhaRights.StateMachine;

namespace MhaRights.Server.Workflow;

/// <summary>Triggers of the notice-duty machine.</summary>
public enum NoticeEvent
{
    NoticeSent,
    NoticeNotRequired,
    NoticeRequiredAgain,
    DeadlinePassed,
    Supersede,
    Close,
    MarkNotApplicable,

    /// <summary>s133: the patient was discharged before the notice was sent.</summary>
    DischargedBeforeNotice,
}

/// <summary>
/// Nearest-relative copies (s132(4), s132A(3), s130D(5)) and s133 discharge notices (section-132.md §8.2: pending,
/// sent, patient objects / no NR identified, not applicable). A copy not required because no nearest relative was
/// known becomes due again when one is identified.
/// </summary>
public static class NoticeWorkflow
{
    public const string NoNearestRelativeNote = "No nearest relative identified.";

    /// <summary>Every resolution note recording a patient's objection (s132(4)) starts with this.</summary>
    public const string PatientObjectsNote = "The patient objects";

    private static readonly DutyState[] Open = [DutyState.Due, DutyState.Overdue];

    public static StateMachineDefinition<DutyState, NoticeEvent, TransitionContext<RightsDuty>> Definition { get; } = Build();

    public static bool IsOpen(DutyState state) => Open.Contains(state);

    /// <summary>True when a resolution note records that no nearest relative was identified.</summary>
    public static bool IsNoNearestRelative(string? resolutionNote) =>
        resolutionNote?.StartsWith(NoNearestRelativeNote, StringComparison.Ordinal) == true;

    /// <summary>True when a resolution note records that the patient objected to the nearest relative receiving a copy.</summary>
    public static bool IsPatientObjection(string? resolutionNote) =>
        resolutionNote?.StartsWith(PatientObjectsNote, StringComparison.Ordinal) == true;

    public static StateMachine<DutyState, NoticeEvent, TransitionContext<RightsDuty>> For(TransitionContext<RightsDuty> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Definition.CreateInstance(() => context.Entity.State, s => context.Entity.State = s, context);
    }

    private static StateMachineDefinition<DutyState, NoticeEvent, TransitionContext<RightsDuty>> Build()
    {
        var b = new StateMachineBuilder<DutyState, NoticeEvent, TransitionContext<RightsDuty>>();
        foreach (var state in Open)
        {
            b.Configure(state)
                .Permit(NoticeEvent.NoticeSent, DutyState.Sent)
                .Permit(NoticeEvent.NoticeNotRequired, DutyState.NotRequired)
                .Permit(NoticeEvent.Supersede, DutyState.Superseded)
                .Permit(NoticeEvent.Close, DutyState.Closed)
                .Permit(NoticeEvent.MarkNotApplicable, DutyState.NotApplicable)
                .Permit(NoticeEvent.DischargedBeforeNotice, DutyState.Missed);
        }

        b.Configure(DutyState.Due)
            .PermitIf(NoticeEvent.DeadlinePassed, DutyState.Overdue, c => c.Entity.DueTime is not null, "the notice has a deadline");
        b.Configure(DutyState.Overdue).Ignore(NoticeEvent.DeadlinePassed);
        b.Configure(DutyState.NotRequired)
            .PermitIf(
                NoticeEvent.NoticeRequiredAgain,
                DutyState.Due,
                c => IsNoNearestRelative(c.Entity.ResolutionNote) || IsPatientObjection(c.Entity.ResolutionNote),
                "it was not required only because no nearest relative was identified or the patient objected")
            .Permit(NoticeEvent.Close, DutyState.Closed);
        // A missed s133 notice can still be sent late; it keeps counting as not on time.
        b.Configure(DutyState.Missed).Permit(NoticeEvent.NoticeSent, DutyState.Sent);
        b.Configure(DutyState.Sent);
        b.Configure(DutyState.Superseded);
        b.Configure(DutyState.Closed);
        b.Configure(DutyState.NotApplicable);
        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(DutyState.Due);
    }
}
