namespace MhaRights.StateMachine.Tests;

public class InternalTransitionTests
{
    private static (Machine Machine, Ctx Ctx, Entity Entity) Create()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .InternalTransition(Trigger.X, (t, c) => c.Log.Add($"internal {t.Trigger} internal={t.IsInternal}"))
            .InternalTransitionIf(
                Trigger.Y,
                c => c.Allowed,
                "allowed",
                async (t, c, ct) =>
                {
                    await Task.Yield();
                    c.Log.Add("async internal");
                })
            .Permit(Trigger.Z, State.B)
            .OnEntry((_, c) => c.Log.Add("entry A"))
            .OnExit((_, c) => c.Log.Add("exit A"));
        builder.OnTransitioned((t, c) => c.Log.Add($"transitioned internal={t.IsInternal}"));
        builder.OnTransitionCompleted((t, c) => c.Log.Add("completed"));
        var ctx = new Ctx();
        var entity = new Entity { Status = State.A };
        var machine = builder.Build(State.A).CreateInstance(() => entity.Status, s => { entity.Writes++; entity.Status = s; }, ctx);
        return (machine, ctx, entity);
    }

    [Fact]
    public async Task InternalTransition_Fired_RunsActionThenHooksWithoutExitEntryOrWrite()
    {
        var (machine, ctx, entity) = Create();

        await machine.FireAsync(Trigger.X);

        Assert.Equal(["internal X internal=True", "transitioned internal=True", "completed"], ctx.Log);
        Assert.Equal(State.A, machine.State);
        Assert.Equal(0, entity.Writes);
    }

    [Fact]
    public async Task InternalTransitionIf_AsyncActionGuardHolds_ActionAwaited()
    {
        var (machine, ctx, _) = Create();
        ctx.Allowed = true;

        await machine.FireAsync(Trigger.Y);

        Assert.Equal("async internal", ctx.Log[0]);
    }

    [Fact]
    public async Task InternalTransitionIf_GuardFails_Throws()
    {
        var (machine, ctx, _) = Create();

        await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.Y));

        Assert.Empty(ctx.Log);
    }

    [Fact]
    public void GetPermittedTriggers_InternalTransitions_IncludedWhenGuardsHold()
    {
        var (machine, ctx, _) = Create();

        Assert.Equal([Trigger.X, Trigger.Z], machine.GetPermittedTriggers());
        ctx.Allowed = true;
        Assert.Equal([Trigger.X, Trigger.Y, Trigger.Z], machine.GetPermittedTriggers());
    }
}
