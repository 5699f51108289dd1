namespace MhaRights.StateMachine.Tests;

public class EntryExitActionTests
{
    [Fact]
    public async Task FireAsync_Transition_ExitActionsThenEntryActionsInDeclarationOrder()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .Permit(Trigger.X, State.B)
            .OnExit((_, c) => c.Log.Add("exit A 1"))
            .OnExit(
                async (_, c, _) =>
                {
                    await Task.Yield();
                    c.Log.Add("exit A 2");
                })
            .OnEntry((_, c) => c.Log.Add("entry A"));
        builder.Configure(State.B)
            .OnEntry((_, c) => c.Log.Add("entry B 1"))
            .OnEntry(
                async (_, c, _) =>
                {
                    await Task.Delay(1);
                    c.Log.Add("entry B 2");
                })
            .OnExit((_, c) => c.Log.Add("exit B"));
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        await machine.FireAsync(Trigger.X);

        Assert.Equal(["exit A 1", "exit A 2", "entry B 1", "entry B 2"], ctx.Log);
    }

    [Fact]
    public async Task OnEntryFrom_MatchingTrigger_RunsOnlyForThatTrigger()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.C).Permit(Trigger.Y, State.C);
        builder.Configure(State.C)
            .OnEntry((_, c) => c.Log.Add("entry"))
            .OnEntryFrom(Trigger.X, (t, c) => c.Log.Add($"entry from {t.Trigger}"));
        var definition = builder.Build(State.A);
        var viaX = definition.CreateInstance(State.A, new Ctx());
        var viaY = definition.CreateInstance(State.A, new Ctx());

        await viaX.FireAsync(Trigger.X);
        await viaY.FireAsync(Trigger.Y);

        Assert.Equal(["entry", "entry from X"], viaX.Context.Log);
        Assert.Equal(["entry"], viaY.Context.Log);
    }

    [Fact]
    public async Task Actions_ReceiveTransitionDescribingTheMove()
    {
        var builder = new Builder();
        var seen = new List<Tx>();
        builder.Configure(State.A).Permit(Trigger.X, State.B).OnExit((t, _) => seen.Add(t));
        builder.Configure(State.B).OnEntry((t, _) => seen.Add(t));
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        await machine.FireAsync(Trigger.X);

        var expected = new Tx(State.A, State.B, Trigger.X, IsReentry: false, IsInternal: false);
        Assert.Equal([expected, expected], seen);
    }

    [Fact]
    public async Task Actions_ReceiveTheCallersCancellationToken()
    {
        var builder = new Builder();
        CancellationToken seen = default;
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).OnEntry((_, _, ct) =>
        {
            seen = ct;
            return Task.CompletedTask;
        });
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());
        using var cts = new CancellationTokenSource();

        await machine.FireAsync(Trigger.X, cts.Token);

        Assert.Equal(cts.Token, seen);
    }

    [Fact]
    public async Task OnEntry_Throws_ExceptionPropagatesAndStateAlreadyWritten()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.X, State.A).OnEntry((_, _) => throw new InvalidDataException("boom"));
        builder.OnTransitionCompleted((_, c) => c.Log.Add("completed"));
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        await Assert.ThrowsAsync<InvalidDataException>(() => machine.FireAsync(Trigger.X));

        // Documented: the mutator ran before entry; the caller discards the unit of work.
        Assert.Equal(State.B, machine.State);
        Assert.Empty(ctx.Log);

        // Nothing is left queued or locked: the instance accepts the next trigger.
        await machine.FireAsync(Trigger.X);
        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public async Task OnExit_Throws_StateNotWritten()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).OnExit((_, _) => throw new InvalidDataException("boom"));
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        await Assert.ThrowsAsync<InvalidDataException>(() => machine.FireAsync(Trigger.X));

        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public async Task SyncAction_RunsOnCallingThreadWithoutHop()
    {
        var builder = new Builder();
        var threadIds = new List<int>();
        builder.Configure(State.A).Permit(Trigger.X, State.B).OnExit((_, _) => threadIds.Add(Environment.CurrentManagedThreadId));
        builder.Configure(State.B).OnEntry((_, _) => threadIds.Add(Environment.CurrentManagedThreadId));
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());
        var caller = Environment.CurrentManagedThreadId;

        var task = machine.FireAsync(Trigger.X);

        // Purely synchronous actions complete inline: the task is already done, on this thread.
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal([caller, caller], threadIds);
        await task;
    }
}
