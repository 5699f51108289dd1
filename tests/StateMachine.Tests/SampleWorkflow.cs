namespace MhaRights.StateMachine.Tests;

/// <summary>States of the sample "explain rights" workflow used by the golden-file tests.</summary>
public enum RightsState
{
    Pending,
    Scheduled,
    Understood,
    NotUnderstood,
    Closed,
}

/// <summary>Triggers of the sample workflow.</summary>
public enum RightsTrigger
{
    Schedule,
    Explain,
    Reschedule,
    AddNote,
    Remind,
    Close,
}

/// <summary>Context of the sample workflow.</summary>
public sealed class RightsContext
{
    public bool PatientUnderstood { get; set; }

    public bool LetterSent { get; set; }

    public bool NearestRelativeInformed { get; set; }
}

/// <summary>A small but complete workflow exercising every feature that appears in GetInfo and the exporters.</summary>
public static class SampleWorkflow
{
    public static StateMachineDefinition<RightsState, RightsTrigger, RightsContext> Build()
    {
        var builder = new StateMachineBuilder<RightsState, RightsTrigger, RightsContext>();
        builder.Configure(RightsState.Pending)
            .Permit(RightsTrigger.Schedule, RightsState.Scheduled)
            .Ignore(RightsTrigger.Remind);
        builder.Configure(RightsState.Scheduled)
            .OnEntry((_, _) => { }, "notify ward")
            .OnEntryFrom(RightsTrigger.Reschedule, (_, _) => { }, "apologise for delay")
            .PermitIf(RightsTrigger.Explain, RightsState.Understood, c => c.PatientUnderstood, "patient understood")
            .PermitIf(RightsTrigger.Explain, RightsState.NotUnderstood, c => !c.PatientUnderstood, "patient did not understand")
            .PermitReentry(RightsTrigger.Reschedule)
            .InternalTransition(RightsTrigger.AddNote, (_, _) => { }, "append note");
        builder.Configure(RightsState.NotUnderstood)
            .OnExit(ClearAttempt)
            .Permit(RightsTrigger.Schedule, RightsState.Scheduled);
        builder.Configure(RightsState.Understood)
            .PermitIf(
                RightsTrigger.Close,
                RightsState.Closed,
                (c => c.LetterSent, "letter sent"),
                (c => c.NearestRelativeInformed, "nearest relative informed"));
        return builder.Build(RightsState.Pending);
    }

    private static void ClearAttempt(Transition<RightsState, RightsTrigger> transition, RightsContext context)
    {
    }
}
