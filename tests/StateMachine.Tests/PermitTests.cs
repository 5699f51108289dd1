namespace MhaRights.StateMachine.Tests;

public class PermitTests
{
    private static Machine Create(State initial = State.A)
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).Permit(Trigger.Y, State.C);
        builder.Configure(State.B).Permit(Trigger.X, State.A);
        return builder.Build(State.A).CreateInstance(initial, new Ctx());
    }

    [Fact]
    public async Task FireAsync_PermittedTrigger_MovesToDestination()
    {
        var machine = Create();

        await machine.FireAsync(Trigger.X);

        Assert.Equal(State.B, machine.State);
        Assert.True(machine.IsInState(State.B));
        Assert.False(machine.IsInState(State.A));
    }

    [Fact]
    public async Task FireAsync_SequenceOfTriggers_FollowsEachTransition()
    {
        var machine = Create();

        await machine.FireAsync(Trigger.X);
        await machine.FireAsync(Trigger.X);
        await machine.FireAsync(Trigger.Y);

        Assert.Equal(State.C, machine.State);
    }

    [Fact]
    public async Task FireAsync_TriggerNotConfigured_ThrowsAndStateUnchanged()
    {
        var machine = Create(State.B);

        await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.Y));

        Assert.Equal(State.B, machine.State);
    }

    [Fact]
    public void CanFire_PermittedAndUnknownTriggers_ReportsCorrectly()
    {
        var machine = Create();

        Assert.True(machine.CanFire(Trigger.X));
        Assert.True(machine.CanFire(Trigger.Y));
        Assert.False(machine.CanFire(Trigger.Z));
    }

    [Fact]
    public void GetPermittedTriggers_UnguardedTransitions_ListedInDeclarationOrder()
    {
        var machine = Create();

        Assert.Equal([Trigger.X, Trigger.Y], machine.GetPermittedTriggers());
    }

    [Fact]
    public void GetPermittedTriggers_TerminalState_Empty()
    {
        var machine = Create(State.C);

        Assert.Empty(machine.GetPermittedTriggers());
    }

    [Fact]
    public async Task FireAsync_CancelledToken_ThrowsBeforeAnyWork()
    {
        var machine = Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => machine.FireAsync(Trigger.X, cts.Token));

        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public void CreateInstance_StateNotInDefinition_Throws()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        var definition = builder.Build(State.A);

        Assert.Throws<ArgumentException>(() => definition.CreateInstance(State.D, new Ctx()));
    }
}
