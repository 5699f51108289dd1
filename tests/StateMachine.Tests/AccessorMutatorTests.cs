namespace MhaRights.StateMachine.Tests;

public class AccessorMutatorTests
{
    private static StateMachineDefinition<State, Trigger, Ctx> Definition()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);
        builder.Configure(State.B).Permit(Trigger.Y, State.C);
        return builder.Build(State.A);
    }

    [Fact]
    public async Task FireAsync_ExternalStorage_WritesEntityPropertyOnce()
    {
        var entity = new Entity { Status = State.A };
        var machine = Definition().CreateInstance(() => entity.Status, s => { entity.Writes++; entity.Status = s; }, new Ctx());

        await machine.FireAsync(Trigger.X);

        Assert.Equal(State.B, entity.Status);
        Assert.Equal(1, entity.Writes);
    }

    [Fact]
    public async Task State_ChangedOutsideTheMachine_ReadFreshOnEveryCall()
    {
        var entity = new Entity { Status = State.A };
        var machine = Definition().CreateInstance(() => entity.Status, s => entity.Status = s, new Ctx());

        // e.g. the entity was reloaded from the database between calls.
        entity.Status = State.B;

        Assert.Equal(State.B, machine.State);
        Assert.Equal([Trigger.Y], machine.GetPermittedTriggers());
        await machine.FireAsync(Trigger.Y);
        Assert.Equal(State.C, entity.Status);
    }

    [Fact]
    public async Task FireAsync_RejectedTrigger_MutatorNeverCalled()
    {
        var entity = new Entity { Status = State.A };
        var machine = Definition().CreateInstance(() => entity.Status, s => { entity.Writes++; entity.Status = s; }, new Ctx());

        await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.Y));

        Assert.Equal(0, entity.Writes);
    }

    [Fact]
    public async Task FireAsync_AccessorReturnsStateUnknownToDefinition_TreatedAsUnhandled()
    {
        var entity = new Entity { Status = State.D };
        var machine = Definition().CreateInstance(() => entity.Status, s => entity.Status = s, new Ctx());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<State, Trigger>>(() => machine.FireAsync(Trigger.X));

        Assert.Equal(State.D, ex.State);
        Assert.Empty(machine.GetPermittedTriggers());
    }

    [Fact]
    public async Task CreateInstance_InternalCell_InstancesIndependent()
    {
        var definition = Definition();
        var first = definition.CreateInstance(State.A, new Ctx());
        var second = definition.CreateInstance(State.A, new Ctx());

        await first.FireAsync(Trigger.X);

        Assert.Equal(State.B, first.State);
        Assert.Equal(State.A, second.State);
    }
}
