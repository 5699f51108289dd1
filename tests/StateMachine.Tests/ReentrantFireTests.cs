namespace MhaRights.StateMachine.Tests;

public class ReentrantFireTests
{
    [Fact]
    public async Task FireAsync_FromEntryAction_ThrowsInvalidOperation()
    {
        var builder = new Builder();
        Machine? machine = null;
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.Y, State.C).OnEntry((_, _, ct) => machine!.FireAsync(Trigger.Y, ct));
        machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => machine.FireAsync(Trigger.X));

        Assert.Contains("re-entrant", ex.Message, StringComparison.Ordinal);
        Assert.Equal(State.B, machine.State);
    }

    [Fact]
    public async Task FireAsync_FromHookWithoutAwait_ThrowsSynchronouslyInsideHook()
    {
        var builder = new Builder();
        Machine? machine = null;
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.Y, State.C);
        builder.OnTransitionCompleted((_, _) => _ = machine!.FireAsync(Trigger.Y));
        machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        await Assert.ThrowsAsync<InvalidOperationException>(() => machine.FireAsync(Trigger.X));

        Assert.Equal(State.B, machine.State);
    }

    [Fact]
    public async Task FireAsync_AfterReentrantFailure_InstanceUsableAndNothingQueued()
    {
        var builder = new Builder();
        Machine? machine = null;
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.Y, State.C).OnEntry((_, _, ct) => machine!.FireAsync(Trigger.Y, ct));
        machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());
        await Assert.ThrowsAsync<InvalidOperationException>(() => machine.FireAsync(Trigger.X));

        Assert.Equal([Trigger.Y], machine.GetPermittedTriggers());
        await machine.FireAsync(Trigger.Y);

        Assert.Equal(State.C, machine.State);
    }

    [Fact]
    public async Task FireAsync_WhileAnotherFireIsPending_Throws()
    {
        var builder = new Builder();
        var gate = new TaskCompletionSource();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.Y, State.C).OnEntry((_, _, _) => gate.Task);
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        var pending = machine.FireAsync(Trigger.X);
        Assert.Throws<InvalidOperationException>(() => { _ = machine.FireAsync(Trigger.Y); });
        gate.SetResult();
        await pending;

        await machine.FireAsync(Trigger.Y);
        Assert.Equal(State.C, machine.State);
    }

    [Fact]
    public async Task Introspection_FromInsideAction_Allowed()
    {
        var builder = new Builder();
        IReadOnlyList<Trigger>? permittedDuringEntry = null;
        Machine? machine = null;
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.Y, State.C).OnEntry((_, _) => permittedDuringEntry = machine!.GetPermittedTriggers());
        machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        await machine.FireAsync(Trigger.X);

        Assert.Equal([Trigger.Y], permittedDuringEntry);
    }
}
