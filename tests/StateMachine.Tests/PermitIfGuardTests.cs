namespace MhaRights.StateMachine.Tests;

public class PermitIfGuardTests
{
    [Fact]
    public async Task FireAsync_GuardHolds_Transitions()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed");
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx { Allowed = true });

        await machine.FireAsync(Trigger.X);

        Assert.Equal(State.B, machine.State);
    }

    [Fact]
    public async Task FireAsync_GuardFails_ThrowsWithGuardDescription()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, "patient has capacity");
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.X));

        Assert.Equal(["patient has capacity"], ex.UnmetGuards);
        Assert.Contains("'patient has capacity'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public void CanFire_GuardFails_ReturnsFalseWithUnmetGuards()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed");
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        Assert.False(machine.CanFire(Trigger.X, out var unmet));
        Assert.Equal(["allowed"], unmet);

        ctx.Allowed = true;
        Assert.True(machine.CanFire(Trigger.X, out unmet));
        Assert.Empty(unmet);
    }

    [Fact]
    public async Task PermitIf_MultipleGuards_AllMustHoldAndEachFailureReported()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, (c => c.Allowed, "first"), (c => c.Other, "second"));
        var ctx = new Ctx { Allowed = true };
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        Assert.False(machine.CanFire(Trigger.X, out var unmet));
        Assert.Equal(["second"], unmet);

        ctx.Allowed = false;
        Assert.False(machine.CanFire(Trigger.X, out unmet));
        Assert.Equal(["first", "second"], unmet);

        ctx.Allowed = ctx.Other = true;
        await machine.FireAsync(Trigger.X);
        Assert.Equal(State.B, machine.State);
    }

    [Fact]
    public async Task FireAsync_ComplementaryGuards_SelectsTheOneThatHolds()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed")
            .PermitIf(Trigger.X, State.C, c => !c.Allowed, "not allowed");
        var definition = builder.Build(State.A);
        var yes = definition.CreateInstance(State.A, new Ctx { Allowed = true });
        var no = definition.CreateInstance(State.A, new Ctx { Allowed = false });

        await yes.FireAsync(Trigger.X);
        await no.FireAsync(Trigger.X);

        Assert.Equal(State.B, yes.State);
        Assert.Equal(State.C, no.State);
    }

    [Fact]
    public async Task FireAsync_TwoGuardsPass_ThrowsInvalidOperationNamingBoth()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.Allowed, "guard one")
            .PermitIf(Trigger.X, State.C, c => c.Other, "guard two");
        var machine = builder.Build(State.A).CreateInstance(State.A, new Ctx { Allowed = true, Other = true });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => machine.FireAsync(Trigger.X));

        Assert.Contains("guard one", ex.Message, StringComparison.Ordinal);
        Assert.Contains("guard two", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mutually exclusive", ex.Message, StringComparison.Ordinal);
        Assert.Equal(State.A, machine.State);
    }

    [Fact]
    public async Task FireAsync_GuardedTransition_GuardEvaluatedExactlyOnce()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.CountedAllowed(), "counted");
        var ctx = new Ctx { Allowed = true };
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        await machine.FireAsync(Trigger.X);

        Assert.Equal(1, ctx.GuardCalls);
    }

    [Fact]
    public async Task FireAsync_FailingGuard_GuardEvaluatedExactlyOnce()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.CountedAllowed(), "counted")
            .PermitIf(Trigger.X, State.C, c => c.Other, "other");
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.X));

        Assert.Equal(1, ctx.GuardCalls);
        Assert.Equal(["counted", "other"], ex.UnmetGuards);
    }

    [Fact]
    public void GetPermittedTriggers_GuardFails_TriggerExcluded()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed")
            .Permit(Trigger.Y, State.C);
        var ctx = new Ctx();
        var machine = builder.Build(State.A).CreateInstance(State.A, ctx);

        Assert.Equal([Trigger.Y], machine.GetPermittedTriggers());
        ctx.Allowed = true;
        Assert.Equal([Trigger.X, Trigger.Y], machine.GetPermittedTriggers());
    }

    [Fact]
    public void PermitIf_BlankGuardDescription_Throws()
    {
        var builder = new Builder();

        Assert.Throws<ArgumentException>(() => builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, " "));
    }
}
