using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace MhaRights.StateMachine;

/// <summary>
/// An immutable, validated workflow produced by
/// <see cref="StateMachineBuilder{TState, TTrigger, TContext}.Build"/>. Thread-safe: register it as a singleton and
/// call <see cref="CreateInstance(Func{TState}, Action{TState}, TContext)"/> per entity, which allocates only a
/// small wrapper.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TTrigger">The trigger type.</typeparam>
/// <typeparam name="TContext">The per-instance context passed to guards and actions.</typeparam>
public sealed class StateMachineDefinition<TState, TTrigger, TContext>
    where TState : notnull
    where TTrigger : notnull
{
    private readonly StateMachineInfo _info;

    internal StateMachineDefinition(
        IEnumerable<StateRepresentation<TState, TTrigger, TContext>> states,
        IEnumerable<TState> initialStates,
        IEnumerable<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> transitionedHooks,
        IEnumerable<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> completedHooks,
        Func<TState, TTrigger, IReadOnlyList<string>, CancellationToken, Task>? unhandledTriggerHandler)
    {
        StatesInOrder = [.. states];
        States = StatesInOrder.ToFrozenDictionary(s => s.State);
        InitialStates = [.. initialStates];
        TransitionedHooks = [.. transitionedHooks];
        CompletedHooks = [.. completedHooks];
        UnhandledTriggerHandler = unhandledTriggerHandler;
        _info = CreateInfo();
    }

    /// <summary>The states a new entity may start in, as passed to <c>Build</c>.</summary>
    public IReadOnlyList<TState> InitialStates { get; }

    internal ImmutableArray<StateRepresentation<TState, TTrigger, TContext>> StatesInOrder { get; }

    internal FrozenDictionary<TState, StateRepresentation<TState, TTrigger, TContext>> States { get; }

    internal ImmutableArray<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> TransitionedHooks { get; }

    internal ImmutableArray<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> CompletedHooks { get; }

    internal Func<TState, TTrigger, IReadOnlyList<string>, CancellationToken, Task>? UnhandledTriggerHandler { get; }

    /// <summary>
    /// Creates an instance whose state lives outside the engine (e.g. an EF Core-mapped entity property). The state is
    /// read only through <paramref name="accessor"/> and written only through <paramref name="mutator"/>, on every call.
    /// </summary>
    /// <param name="accessor">Reads the current state.</param>
    /// <param name="mutator">Writes the new state; called once per state-changing or reentry transition.</param>
    /// <param name="context">Passed to every guard, action and hook of this instance.</param>
    /// <returns>A new, non-thread-safe instance for one entity and one unit of work.</returns>
    public StateMachine<TState, TTrigger, TContext> CreateInstance(Func<TState> accessor, Action<TState> mutator, TContext context)
    {
        ArgumentNullException.ThrowIfNull(accessor);
        ArgumentNullException.ThrowIfNull(mutator);
        return new StateMachine<TState, TTrigger, TContext>(this, accessor, mutator, context);
    }

    /// <summary>Creates an instance that keeps its state in an internal cell (tests, in-memory workflows).</summary>
    /// <param name="initialState">The starting state; must be a state of this definition.</param>
    /// <param name="context">Passed to every guard, action and hook of this instance.</param>
    /// <returns>A new, non-thread-safe instance.</returns>
    public StateMachine<TState, TTrigger, TContext> CreateInstance(TState initialState, TContext context)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        if (!States.ContainsKey(initialState))
        {
            throw new ArgumentException($"State '{initialState}' is not part of this definition.", nameof(initialState));
        }

        var cell = new StrongBox<TState>(initialState);
        return new StateMachine<TState, TTrigger, TContext>(this, () => cell.Value!, s => cell.Value = s, context);
    }

    /// <summary>Describes the definition; the same (cached, immutable) object on every call.</summary>
    /// <returns>The definition's description.</returns>
    public StateMachineInfo GetInfo() => _info;

    private StateMachineInfo CreateInfo()
    {
        static IReadOnlyList<string> Guards(TriggerBehaviour<TState, TTrigger, TContext> b) =>
            [.. b.Guards.Select(g => g.Description)];

        static IReadOnlyList<ActionInfo> Actions(IEnumerable<ActionBehaviour<TState, TTrigger, TContext>> actions) =>
            [.. actions.Select(a => new ActionInfo(a.Description, a.HasFromTrigger ? a.FromTrigger : null))];

        var states = StatesInOrder.Select(s => new StateInfo(
            s.State,
            Actions(s.EntryActions),
            Actions(s.ExitActions),
            [.. s.Behaviours.Where(b => b.Kind == BehaviourKind.Permit)
                .Select(b => new TransitionInfo(b.Source, b.Trigger, b.Destination, Guards(b)))],
            [.. s.Behaviours.Where(b => b.Kind == BehaviourKind.Reentry)
                .Select(b => new TransitionInfo(b.Source, b.Trigger, b.Destination, Guards(b)))],
            [.. s.Behaviours.Where(b => b.Kind == BehaviourKind.Internal)
                .Select(b => new InternalTransitionInfo(b.Source, b.Trigger, b.Action!.Description, Guards(b)))],
            [.. s.Behaviours.Where(b => b.Kind == BehaviourKind.Ignore)
                .Select(b => new IgnoredTriggerInfo(b.Trigger, Guards(b)))]));
        return new StateMachineInfo([.. states], [.. InitialStates.Select(s => (object)s)]);
    }
}
