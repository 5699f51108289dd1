namespace MhaRights.StateMachine.Tests;

public class DefinitionSharingTests
{
    private static StateMachineDefinition<State, Trigger, Ctx> Definition()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed")
            .PermitIf(Trigger.X, State.C, c => !c.Allowed, "not allowed")
            .OnExit(
                async (t, c, ct) =>
                {
                    await Task.Yield();
                    c.Log.Add($"exit {t.Source}");
                });
        builder.Configure(State.B).Permit(Trigger.Y, State.D).OnEntry(async (t, c, ct) =>
        {
            await Task.Delay(1, ct);
            c.Log.Add($"entry {t.Destination}");
        });
        builder.Configure(State.C).Permit(Trigger.Y, State.D).OnEntry((t, c) => c.Log.Add($"entry {t.Destination}"));
        builder.OnTransitioned(
            async (t, c, ct) =>
            {
                await Task.Yield();
                c.Log.Add($"{t.Source}->{t.Destination}");
            });
        return builder.Build(State.A);
    }

    [Fact]
    public async Task OneDefinition_ManyInstancesInParallel_NoCrossTalk()
    {
        var definition = Definition();
        var entities = Enumerable.Range(0, 200).Select(_ => new Entity { Status = State.A }).ToArray();
        var contexts = entities.Select((_, i) => new Ctx { Allowed = i % 2 == 0 }).ToArray();

        await Parallel.ForAsync(0, entities.Length, async (i, ct) =>
        {
            var entity = entities[i];
            var machine = definition.CreateInstance(() => entity.Status, s => entity.Status = s, contexts[i]);
            await machine.FireAsync(Trigger.X, ct);
            await machine.FireAsync(Trigger.Y, ct);
        });

        for (var i = 0; i < entities.Length; i++)
        {
            var middle = i % 2 == 0 ? "B" : "C";
            Assert.Equal(State.D, entities[i].Status);
            Assert.Equal(["exit A", $"A->{middle}", $"entry {middle}", $"{middle}->D"], contexts[i].Log);
        }
    }

    [Fact]
    public void OneDefinition_ConcurrentIntrospection_EachInstanceSeesItsOwnContext()
    {
        var builder = new Builder();
        builder.Configure(State.A)
            .PermitIf(Trigger.X, State.B, c => c.Allowed, "allowed")
            .PermitIf(Trigger.Y, State.C, c => c.Other, "other");
        var definition = builder.Build(State.A);

        var results = Enumerable.Range(0, 400).AsParallel()
            .Select(i => (i, Permitted: definition.CreateInstance(State.A, new Ctx { Allowed = i % 2 == 0, Other = i % 3 == 0 })
                .GetPermittedTriggers()))
            .ToArray();

        Assert.All(results, r =>
        {
            var expected = new List<Trigger>();
            if (r.i % 2 == 0)
            {
                expected.Add(Trigger.X);
            }

            if (r.i % 3 == 0)
            {
                expected.Add(Trigger.Y);
            }

            Assert.Equal(expected, r.Permitted);
        });
        Assert.Same(definition.GetInfo(), definition.GetInfo());
    }
}
