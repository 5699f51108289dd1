using MhaRights.Server.Rights.Duties;
using Stateless;
using Stateless.Reflection;

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

    public static bool IsOpen(DutyState state) => Open.Contains(state);

    /// <summary>True when a resolution note records that no nearest relative was identified.</summary>
    public static bool IsNoNearestRelative(string? resolutionNote) =>
        resolutionNote?.StartsWith(NoNearestRelativeNote, StringComparison.Ordinal) == true;

    /// <summary>True when a resolution note records that the patient objected to the nearest relative receiving a copy.</summary>
    public static bool IsPatientObjection(string? resolutionNote) =>
        resolutionNote?.StartsWith(PatientObjectsNote, StringComparison.Ordinal) == true;

    public static WorkflowMachine<DutyState, NoticeEvent> For(TransitionContext<RightsDuty> context) =>
        WorkflowMachine.Create<DutyState, NoticeEvent, RightsDuty>(
            context, () => context.Entity.State, s => context.Entity.State = s, "notice", Explain, Configure);

    public static StateMachineInfo Describe() => WorkflowMachine.Describe<DutyState, NoticeEvent, RightsDuty>(DutyState.Due, Configure);

    private static string? Explain(DutyState state, NoticeEvent trigger, IReadOnlyList<string> unmet) => (state, trigger) switch
    {
        (DutyState.Sent, NoticeEvent.NoticeSent) => "This notice has already been sent; nothing more needs recording.",
        (DutyState.Sent, _) => "This notice has been sent, so it is complete and cannot be changed.",
        (DutyState.NotRequired, NoticeEvent.NoticeSent or NoticeEvent.NoticeNotRequired) =>
            "This notice was recorded as not required; it becomes due again only when a nearest relative is identified.",
        (DutyState.Missed, _) => "The patient was discharged before this notice was sent; it can only be recorded as sent late.",
        (DutyState.Superseded or DutyState.Closed or DutyState.NotApplicable, _) =>
            $"This notice is {TransitionMessages.Words(state)}; nothing more can be recorded against it.",
        _ => null,
    };

    private static void Configure(StateMachine<DutyState, NoticeEvent> m, TransitionContext<RightsDuty> c)
    {
        foreach (var state in Open)
        {
            m.Configure(state)
                .Permit(NoticeEvent.NoticeSent, DutyState.Sent)
                .Permit(NoticeEvent.NoticeNotRequired, DutyState.NotRequired)
                .Permit(NoticeEvent.Supersede, DutyState.Superseded)
                .Permit(NoticeEvent.Close, DutyState.Closed)
                .Permit(NoticeEvent.MarkNotApplicable, DutyState.NotApplicable)
                .Permit(NoticeEvent.DischargedBeforeNotice, DutyState.Missed);
        }

        m.Configure(DutyState.Due)
            .PermitIf(NoticeEvent.DeadlinePassed, DutyState.Overdue, () => c.Entity.DueTime is not null, "the notice has a deadline");
        m.Configure(DutyState.Overdue).Ignore(NoticeEvent.DeadlinePassed);
        m.Configure(DutyState.NotRequired)
            .PermitIf(
                NoticeEvent.NoticeRequiredAgain,
                DutyState.Due,
                () => IsNoNearestRelative(c.Entity.ResolutionNote) || IsPatientObjection(c.Entity.ResolutionNote),
                "it was not required only because no nearest relative was identified or the patient objected")
            .Permit(NoticeEvent.Close, DutyState.Closed);
        // A missed s133 notice can still be sent late; it keeps counting as not on time.
        m.Configure(DutyState.Missed).Permit(NoticeEvent.NoticeSent, DutyState.Sent);
        m.Configure(DutyState.Sent);
        m.Configure(DutyState.Superseded);
        m.Configure(DutyState.Closed);
        m.Configure(DutyState.NotApplicable);
    }
}
