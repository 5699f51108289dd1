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
}

/// <summary>
/// Nearest-relative copies (s132(4), s132A(3), s130D(5)) and s133 discharge notices (section-132.md §8.2: pending,
/// sent, patient objects / no NR identified, not applicable). A copy not required because no nearest relative was
/// known becomes due again when one is identified.
/// </summary>
public static class NoticeWorkflow
{
    public const string NoNearestRelativeNote = "No nearest relative identified.";

    private static readonly DutyState[] Open = [DutyState.Due, DutyState.Overdue];

    public static StateMachineDefinition<DutyState, NoticeEvent, TransitionContext<RightsDuty>> Definition { get; } = Build();

    public static bool IsOpen(DutyState state) => Open.Contains(state);

    /// <summary>True when a resolution note records that no nearest relative was identified.</summary>
    public static bool IsNoNearestRelative(string? resolutionNote) =>
        resolutionNote?.StartsWith(NoNearestRelativeNote, StringComparison.Ordinal) == true;

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
                .Permit(NoticeEvent.MarkNotApplicable, DutyState.NotApplicable);
        }

        b.Configure(DutyState.Due)
            .PermitIf(NoticeEvent.DeadlinePassed, DutyState.Overdue, c => c.Entity.DueTime is not null, "the notice has a deadline");
        b.Configure(DutyState.Overdue).Ignore(NoticeEvent.DeadlinePassed);
        b.Configure(DutyState.NotRequired)
            .PermitIf(
                NoticeEvent.NoticeRequiredAgain,
                DutyState.Due,
                c => IsNoNearestRelative(c.Entity.ResolutionNote),
                "it was not required only because no nearest relative was identified")
            .Permit(NoticeEvent.Close, DutyState.Closed);
        b.Configure(DutyState.Sent);
        b.Configure(DutyState.Superseded);
        b.Configure(DutyState.Closed);
        b.Configure(DutyState.NotApplicable);
        b.OnTransitioned((t, c) => c.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return b.Build(DutyState.Due);
    }
}
