namespace MhaRights.StateMachine.Tests;

public class IgnoreTests
{
    private static (Machine Machine, Ctx Ctx) Create()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .Permit(Trigger.X, State.B)
            .Ignore(Trigger.Y)
            .IgnoreIf(Trigger.Z, c => c.Allowed, "duplicate request")
            .OnExit((_, c) => c.Log.Add("exit A"));
        builder.OnTransitioned((_, c) => c.Log.Add("transitioned"));
        var ctx = new Ctx();
        return (builder.Build(State.A).CreateInstance(State.A, ctx), ctx);
    }

    [Fact]
    public async Task FireAsync_IgnoredTrigger_SwallowedWithoutActionsOrHooks()
    {
        var (machine, ctx) = Create();

        await machine.FireAsync(Trigger.Y);

        Assert.Equal(State.A, machine.State);
        Assert.Empty(ctx.Log);
    }

    [Fact]
    public void GetPermittedTriggers_IgnoredTrigger_Excluded()
    {
        var (machine, ctx) = Create();
        ctx.Allowed = true;

        Assert.Equal([Trigger.X], machine.GetPermittedTriggers());
    }

    [Fact]
    public void CanFire_IgnoredTrigger_TrueBecauseFiringIsAccepted()
    {
        var (machine, _) = Create();

        Assert.True(machine.CanFire(Trigger.Y));
    }

    [Fact]
    public async Task IgnoreIf_GuardHolds_Swallowed()
    {
        var (machine, ctx) = Create();
        ctx.Allowed = true;

        await machine.FireAsync(Trigger.Z);

        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public async Task IgnoreIf_GuardFails_UnhandledWithGuardDescription()
    {
        var (machine, _) = Create();

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.Z));

        Assert.Equal(["duplicate request"], ex.UnmetGuards);
    }
}
