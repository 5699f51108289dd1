global using Builder = MhaRights.StateMachine.StateMachineBuilder<
    MhaRights.StateMachine.Tests.State, MhaRights.StateMachine.Tests.Trigger, MhaRights.StateMachine.Tests.Ctx>;
global using Machine = MhaRights.StateMachine.StateMachine<
    MhaRights.StateMachine.Tests.State, MhaRights.StateMachine.Tests.Trigger, MhaRights.StateMachine.Tests.Ctx>;
global using Tx = MhaRights.StateMachine.Transition<MhaRights.StateMachine.Tests.State, MhaRights.StateMachine.Tests.Trigger>;

namespace MhaRights.StateMachine.Tests;

/// <summary>States used by the feature tests.</summary>
public enum State
{
    A,
    B,
    C,
    D,
}

/// <summary>Triggers used by the feature tests.</summary>
public enum Trigger
{
    X,
    Y,
    Z,
    W,
}

/// <summary>Per-instance context: switches for guards and a log of what ran, in order.</summary>
public sealed class Ctx
{
    public List<string> Log { get; } = [];

    public bool Allowed { get; set; }

    public bool Other { get; set; }

    public int GuardCalls { get; set; }

    /// <summary>Guard that counts its evaluations, so tests can prove "evaluated once".</summary>
    public bool CountedAllowed()
    {
        GuardCalls++;
        return Allowed;
    }
}

/// <summary>An EF-style entity whose mapped property holds the state.</summary>
public sealed class Entity
{
    public State Status { get; set; }

    public int Writes { get; set; }
}
