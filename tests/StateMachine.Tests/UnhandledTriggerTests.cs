namespace MhaRights.StateMachine.Tests;

public class UnhandledTriggerTests
{
    [Fact]
    public async Task Default_NoTransition_ThrowsWithStateTriggerAndStatelessMessage()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.Y));

        Assert.Equal(State.A, ex.State);
        Assert.Equal(Trigger.Y, ex.Trigger);
        Assert.Empty(ex.UnmetGuards);
        Assert.Equal(
            "No valid leaving transitions are permitted from state 'A' for trigger 'Y'. Consider ignoring the trigger.",
            ex.Message);
    }

    [Fact]
    public async Task Default_GuardFailed_MessageListsGuardDescriptions()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, (c => c.Allowed, "has capacity"), (c => c.Other, "AMHP present"));
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.X));

        Assert.Equal(
            "Trigger 'X' is valid for transition from state 'A' but a guard condition is not met. " +
            "Guard descriptions: 'has capacity', 'AMHP present'.",
            ex.Message);
    }

    [Fact]
    public async Task Default_CaughtAsNonGenericBase_ExposesBoxedValues()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        // What a gRPC interceptor sees: no type arguments, and not an InvalidOperationException.
        var ex = await Assert.ThrowsAnyAsync<InvalidTransitionException>(() => machine.FireAsync(Trigger.Z));

        Assert.IsNotAssignableFrom<InvalidOperationException>(ex);
        Assert.Equal(State.A, ex.State);
        Assert.Equal(Trigger.Z, ex.Trigger);
    }

    [Fact]
    public async Task CustomHandler_GuardFailed_ReceivesStateTriggerAndUnmetGuards()
    {
        var builder = new Builder();
        (State, Trigger, IReadOnlyList<string>)? received = null;
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed");
        builder.OnUnhandledTrigger((s, t, g) => received = (s, t, g));
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        await machine.FireAsync(Trigger.X);

        Assert.NotNull(received);
        Assert.Equal(State.A, received.Value.Item1);
        Assert.Equal(Trigger.X, received.Value.Item2);
        Assert.Equal(["allowed"], received.Value.Item3);
        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public async Task CustomAsyncHandler_Throws_ExceptionPropagates()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.OnUnhandledTrigger(async (s, t, g, ct) =>
        {
            await Task.Yield();
            throw new InvalidDataException($"custom {s}/{t}");
        });
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => machine.FireAsync(Trigger.W));

        Assert.Equal("custom A/W", ex.Message);
    }
}
