namespace MhaRights.StateMachine.Tests;

public class TransitionHookTests
{
    [Fact]
    public async Task FireAsync_Transition_FullOrderOfOperations()
    {
        var builder = new Builder();
        var entity = new Entity { Status = State.A };
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => Log(c, "guard"), "logged guard")
            .OnExit((_, c) => c.Log.Add($"exit A (state {entity.Status})"));
        builder.Configure(State.B).OnEntry((_, c) => c.Log.Add("entry B"));
        builder.OnTransitioned((t, c) => c.Log.Add($"transitioned {t.Source}->{t.Destination} (state {entity.Status})"));
        builder.OnTransitioned(
            async (_, c, _) =>
            {
                await Task.Yield();
                c.Log.Add("transitioned async");
            });
        builder.OnTransitionCompleted((_, c) => c.Log.Add("completed"));
        builder.OnTransitionCompleted(
            async (_, c, _) =>
            {
                await Task.Yield();
                c.Log.Add("completed async");
            });
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(
            () => entity.Status,
            s =>
            {
                ctx.Log.Add($"mutator {s}");
                entity.Status = s;
            },
            ctx);

        await machine.FireAsync(Trigger.X);

        Assert.Equal(
            [
                "guard",
                "exit A (state A)",
                "mutator B",
                "transitioned A->B (state B)",
                "transitioned async",
                "entry B",
                "completed",
                "completed async",
            ],
            ctx.Log);
    }

    [Fact]
    public async Task OnTransitioned_Throws_EntryActionsDoNotRun()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).OnEntry((_, c) => c.Log.Add("entry B"));
        builder.OnTransitioned((_, _) => throw new InvalidDataException("audit failed"));
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        await Assert.ThrowsAsync<InvalidDataException>(() => machine.FireAsync(Trigger.X));

        Assert.Empty(ctx.Log);
    }

    [Fact]
    public async Task Hooks_IgnoredOrRejectedTrigger_NotCalled()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B).Ignore(Trigger.Y);
        builder.OnTransitioned((_, c) => c.Log.Add("transitioned"));
        builder.OnTransitionCompleted((_, c) => c.Log.Add("completed"));
        builder.OnUnhandledTrigger((_, _, _) => { });
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        await machine.FireAsync(Trigger.Y);
        await machine.FireAsync(Trigger.Z);

        Assert.Empty(ctx.Log);
    }

    private static bool Log(Ctx ctx, string entry)
    {
        ctx.Log.Add(entry);
        return true;
    }
}
