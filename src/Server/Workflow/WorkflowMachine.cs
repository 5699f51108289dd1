using System.Runtime.CompilerServices;
using Stateless;
using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>
/// Explains a refused trigger in the workflow's own words; returns null to fall back to
/// <see cref="TransitionMessages.For"/> with the workflow's noun.
/// </summary>
public delegate string? TransitionExplainer<in TState, in TTrigger>(TState state, TTrigger trigger, IReadOnlyList<string> unmetGuards);

/// <summary>
/// One entity's Stateless machine for one unit of work (one gRPC request). Stateless keeps its configuration per
/// instance, so a machine is built per entity with its state stored on the entity (accessor/mutator) and its guards
/// closing over the entity; nothing mutable is shared between requests. Not thread-safe, like Stateless itself.
/// </summary>
public sealed class WorkflowMachine<TState, TTrigger>
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    private readonly string _noun;
    private readonly TransitionExplainer<TState, TTrigger> _explain;

    internal WorkflowMachine(StateMachine<TState, TTrigger> machine, string noun, TransitionExplainer<TState, TTrigger> explain)
    {
        Machine = machine;
        _noun = noun;
        _explain = explain;

        // FireAsync passes no guard descriptions to this handler (Stateless StateMachine.Async.cs), so they are
        // recomputed here, only on the refusal path; the domain exception replaces Stateless's InvalidOperationException.
        machine.OnUnhandledTrigger((state, trigger, unmet) => throw Refusal(state, trigger, unmet));
    }

    /// <summary>The Stateless machine, for introspection.</summary>
    public StateMachine<TState, TTrigger> Machine { get; }

    /// <summary>The current state, read from the entity.</summary>
    public TState State => Machine.State;

    /// <summary>True when the trigger would be accepted now (ignored triggers count as accepted).</summary>
    public bool CanFire(TTrigger trigger) => Machine.CanFire(trigger);

    /// <summary>As <see cref="CanFire(TTrigger)"/>, with the descriptions of the guards that failed.</summary>
    public bool CanFire(TTrigger trigger, out IReadOnlyList<string> unmetGuards)
    {
        var can = Machine.CanFire(trigger, out var unmet);
        unmetGuards = can || unmet is null ? [] : [.. unmet];
        return can;
    }

    /// <summary>Throws the domain refusal when the trigger would not be accepted now (checked, not fired).</summary>
    public void EnsureCanFire(TTrigger trigger)
    {
        if (!CanFire(trigger, out var unmet))
        {
            throw Refusal(State, trigger, unmet);
        }
    }

    /// <summary>Fires the trigger; a refusal throws <see cref="InvalidTransitionException{TState, TTrigger}"/>.</summary>
    public Task FireAsync(TTrigger trigger, CancellationToken cancellationToken = default)
    {
        // Stateless takes no token; nothing it runs here does I/O, so checking once before firing is enough.
        cancellationToken.ThrowIfCancellationRequested();
        return Machine.FireAsync(trigger);
    }

    /// <summary>Describes the configuration (states, transitions, guard descriptions) without firing anything.</summary>
    public StateMachineInfo GetInfo() => Machine.GetInfo();

    private InvalidTransitionException<TState, TTrigger> Refusal(TState state, TTrigger trigger, IEnumerable<string>? unmet)
    {
        if (unmet is null)
        {
            Machine.CanFire(trigger, out var recomputed);
            unmet = recomputed;
        }

        IReadOnlyList<string> guards = unmet is null ? [] : [.. unmet];
        var message = _explain(state, trigger, guards) ?? TransitionMessages.For(_noun, state, trigger, guards);
        return new InvalidTransitionException<TState, TTrigger>(state, trigger, guards, message);
    }
}

/// <summary>Builds the Stateless machines of src/Server/Workflow the same way: external state, audit hook, refusals.</summary>
public static class WorkflowMachine
{
    /// <summary>
    /// A machine over <paramref name="context"/>'s entity: <paramref name="accessor"/>/<paramref name="mutator"/> point
    /// at the entity's state property, every transition is audited through <see cref="TransitionContext{TEntity}"/>.
    /// </summary>
    public static WorkflowMachine<TState, TTrigger> Create<TState, TTrigger, TEntity>(
        TransitionContext<TEntity> context,
        Func<TState> accessor,
        Action<TState> mutator,
        string noun,
        TransitionExplainer<TState, TTrigger> explain,
        Action<StateMachine<TState, TTrigger>, TransitionContext<TEntity>> configure)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(configure);

        // Immediate: nothing here fires from inside an action, and Queued would keep triggers queued after a failure (#267).
        var machine = new StateMachine<TState, TTrigger>(accessor, mutator, FiringMode.Immediate);
        configure(machine, context);
        machine.OnTransitioned(t => context.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()));
        return new WorkflowMachine<TState, TTrigger>(machine, noun, explain);
    }

    /// <summary>
    /// The configuration alone, for GetInfo (docs, GetWorkflowGraph, validation): no entity is bound, so the guards and
    /// actions (which close over the context) must not run — GetInfo only reads their descriptions.
    /// </summary>
    public static StateMachineInfo Describe<TState, TTrigger, TEntity>(
        TState initial,
        Action<StateMachine<TState, TTrigger>, TransitionContext<TEntity>> configure)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(configure);
        var cell = new StrongBox<TState>(initial);
        var machine = new StateMachine<TState, TTrigger>(() => cell.Value, s => cell.Value = s, FiringMode.Immediate);
        configure(machine, null!);
        return machine.GetInfo();
    }

    /// <summary>
    /// An internal transition that audits itself: Stateless raises OnTransitioned only when the state changes, but the
    /// audit trail records internal transitions too (item changes, renewals, reviews). The description is what graphs
    /// and refusals show: the guard's when there is one, otherwise what the transition does.
    /// </summary>
    public static StateMachine<TState, TTrigger>.StateConfiguration AuditedInternal<TState, TTrigger, TEntity>(
        this StateMachine<TState, TTrigger>.StateConfiguration state,
        TTrigger trigger,
        TransitionContext<TEntity> context,
        string description,
        Func<bool>? guard = null)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(state);

        // The sync overload is the one that carries a description; under FireAsync Stateless runs it on the thread
        // pool (awaited, so still sequential with the caller), which only the audit list sees.
        return state.InternalTransitionIf(
            trigger,
            guard is null ? static _ => true : _ => guard(),
            t => context.RecordTransition(t.Source.ToString(), t.Destination.ToString(), t.Trigger.ToString()),
            description);
    }
}
