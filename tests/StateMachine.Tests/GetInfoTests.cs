namespace MhaRights.StateMachine.Tests;

public class GetInfoTests
{
    private static readonly StateMachineInfo Info = SampleWorkflow.Build().GetInfo();

    private static StateInfo StateOf(RightsState state) => Info.States.Single(s => s.UnderlyingState.Equals(state));

    [Fact]
    public void States_ConfiguredThenReferenced_InDeclarationOrder()
    {
        Assert.Equal(
            ["Pending", "Scheduled", "NotUnderstood", "Understood", "Closed"],
            Info.States.Select(s => s.Name));
        Assert.Equal([RightsState.Pending], Info.InitialStates);
    }

    [Fact]
    public void FixedTransitions_IncludeGuardDescriptions()
    {
        var scheduled = StateOf(RightsState.Scheduled);

        Assert.Equal(2, scheduled.FixedTransitions.Count);
        Assert.Equal(RightsState.Understood, scheduled.FixedTransitions[0].Destination);
        Assert.Equal(RightsTrigger.Explain, scheduled.FixedTransitions[0].Trigger);
        Assert.Equal(RightsState.Scheduled, scheduled.FixedTransitions[0].Source);
        Assert.Equal(["patient understood"], scheduled.FixedTransitions[0].GuardDescriptions);
        Assert.Equal(["letter sent", "nearest relative informed"], StateOf(RightsState.Understood).FixedTransitions[0].GuardDescriptions);
        Assert.Empty(StateOf(RightsState.Pending).FixedTransitions[0].GuardDescriptions);
    }

    [Fact]
    public void ReentryInternalAndIgnored_ReportedSeparately()
    {
        var scheduled = StateOf(RightsState.Scheduled);
        var pending = StateOf(RightsState.Pending);

        var reentry = Assert.Single(scheduled.ReentryTransitions);
        Assert.Equal(RightsTrigger.Reschedule, reentry.Trigger);
        Assert.Equal(RightsState.Scheduled, reentry.Destination);
        var internalTransition = Assert.Single(scheduled.InternalTransitions);
        Assert.Equal(RightsTrigger.AddNote, internalTransition.Trigger);
        Assert.Equal("append note", internalTransition.ActionDescription);
        Assert.Equal(RightsTrigger.Remind, Assert.Single(pending.IgnoredTriggers).Trigger);
        Assert.Single(pending.FixedTransitions);
    }

    [Fact]
    public void Actions_DescriptionsAndFromTrigger()
    {
        var scheduled = StateOf(RightsState.Scheduled);

        Assert.Equal([new ActionInfo("notify ward", null), new ActionInfo("apologise for delay", RightsTrigger.Reschedule)], scheduled.EntryActions);
        Assert.Equal("ClearAttempt", Assert.Single(StateOf(RightsState.NotUnderstood).ExitActions).Description);
    }

    [Fact]
    public void Actions_UndescribedLambda_DescribedAsFunction()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).OnExit((_, c) => c.Log.Add("x"));

        var info = builder.Build(State.A).GetInfo();

        Assert.Equal("Function", info.States[0].ExitActions[0].Description);
    }

    [Fact]
    public void StateOnlyReferenced_HasEmptyLists()
    {
        var closed = StateOf(RightsState.Closed);

        Assert.Empty(closed.FixedTransitions);
        Assert.Empty(closed.EntryActions);
        Assert.Empty(closed.IgnoredTriggers);
    }

    [Fact]
    public void InstanceGetInfo_SameAsDefinition()
    {
        var definition = SampleWorkflow.Build();

        Assert.Same(definition.GetInfo(), definition.CreateInstance(RightsState.Pending, new RightsContext()).GetInfo());
    }
}
