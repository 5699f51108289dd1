namespace MhaRights.StateMachine.Tests;

public class DefinitionValidationTests
{
    [Fact]
    public void Build_PermitToSelf_ThrowsSuggestingReentry()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.A);

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build(State.A));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("'A' permits trigger 'X' to itself", error, StringComparison.Ordinal);
        Assert.Contains("PermitReentry", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoUnguardedTransitionsSameTrigger_Throws()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).Permit(Trigger.X, State.C);

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build(State.A));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("more than one transition for trigger 'X'", error, StringComparison.Ordinal);
        Assert.Contains("'Permit X -> B'", error, StringComparison.Ordinal);
        Assert.Contains("'Permit X -> C'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnguardedAndGuardedSameTrigger_Throws()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).PermitIf(Trigger.X, State.C, c => c.Allowed, "allowed");

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build(State.A));

        Assert.Contains("'Permit X -> C [allowed]'", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TriggerPermittedAndIgnored_Throws()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).Ignore(Trigger.X);

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build(State.A));

        Assert.Contains("Trigger 'X' is both permitted and ignored in state 'A'", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MutuallyGuardedPermitAndIgnore_Accepted()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed")
            .IgnoreIf(Trigger.X, c => !c.Allowed, "not allowed");

        var definition = builder.Build(State.A);

        Assert.NotNull(definition);
    }

    [Fact]
    public void Build_UnreachableStates_ThrowsNamingThem()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.C).Permit(Trigger.X, State.D);

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build(State.A));

        Assert.Contains("not reachable from the initial state(s) 'A': 'C', 'D'", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SeveralInitialStates_ReachabilityFromAny()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.C).Permit(Trigger.X, State.D);

        var definition = builder.Build(State.A, State.C);

        Assert.Equal([State.A, State.C], definition.InitialStates);
    }

    [Fact]
    public void Build_NoInitialState_Throws()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build());

        Assert.Contains("initial state is required", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SeveralProblems_AllReportedInOneException()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.A).Ignore(Trigger.Y).Ignore(Trigger.Y);
        builder.Configure(State.D);

        var ex = Assert.Throws<StateMachineDefinitionException>(() => builder.Build(State.A));

        Assert.Equal(3, ex.Errors.Count);
        Assert.All(ex.Errors, e => Assert.Contains(e, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_BuilderChangedAfterwards_DefinitionUnaffected()
    {
        var builder = new Builder();
        var a = builder.Configure(State.A).Permit(Trigger.X, State.B);
        var definition = builder.Build(State.A);

        a.Permit(Trigger.Y, State.C).OnExit((_, c) => c.Log.Add("late exit"));
        builder.OnTransitioned((_, c) => c.Log.Add("late hook"));
        var machine = definition.CreateInstance(State.A, new Ctx());

        Assert.Equal([Trigger.X], machine.GetPermittedTriggers());
        await machine.FireAsync(Trigger.X);
        Assert.Empty(machine.Context.Log);
        Assert.Equal(2, definition.GetInfo().States.Count);
    }
}
