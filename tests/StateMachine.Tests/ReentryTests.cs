namespace MhaRights.StateMachine.Tests;

public class ReentryTests
{
    private static (Machine Machine, Ctx Ctx, Entity Entity) Create()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitReentry(Trigger.X)
            .PermitReentryIf(Trigger.Y, c => c.Allowed, "allowed")
            .OnEntry((t, c) => c.Log.Add($"entry A reentry={t.IsReentry}"))
            .OnExit((t, c) => c.Log.Add("exit A"));
        builder.OnTransitioned((t, c) => c.Log.Add("transitioned"));
        var ctx = new Ctx();
        var entity = new Entity { Status = State.A };
        var machine = builder.Build(State.A).CreateInstance(
            () => entity.Status,
            s =>
            {
                entity.Writes++;
                entity.Status = s;
            },
            ctx);
        return (machine, ctx, entity);
    }

    [Fact]
    public async Task PermitReentry_Fired_ExitAndEntryRunExactlyOnceEach()
    {
        var (machine, ctx, entity) = Create();

        await machine.FireAsync(Trigger.X);

        Assert.Equal(["exit A", "transitioned", "entry A reentry=True"], ctx.Log);
        Assert.Equal(State.A, machine.State);
        Assert.Equal(1, entity.Writes);
    }

    [Fact]
    public async Task PermitReentry_Fired_TransitionFlagsReentryNotInternal()
    {
        var builder = new Builder();
        Tx? seen = null;
        builder.Configure(State.A).PermitReentry(Trigger.X);
        builder.OnTransitionCompleted((t, _) => seen = t);
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        await machine.FireAsync(Trigger.X);

        Assert.Equal(new Tx(State.A, State.A, Trigger.X, IsReentry: true, IsInternal: false), seen);
    }

    [Fact]
    public async Task PermitReentryIf_GuardFails_NothingRunsAndThrows()
    {
        var (machine, ctx, entity) = Create();

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.Y));

        Assert.Equal(["allowed"], ex.UnmetGuards);
        Assert.Empty(ctx.Log);
        Assert.Equal(0, entity.Writes);
    }

    [Fact]
    public void GetPermittedTriggers_ReentryWithGuard_IncludedOnlyWhenGuardHolds()
    {
        var (machine, ctx, _) = Create();

        Assert.Equal([Trigger.X], machine.GetPermittedTriggers());
        ctx.Allowed = true;
        Assert.Equal([Trigger.X, Trigger.Y], machine.GetPermittedTriggers());
    }
}
