namespace MhaRights.StateMachine;

/// <summary>
/// Collects a workflow's configuration and turns it into an immutable, validated
/// <see cref="StateMachineDefinition{TState, TTrigger, TContext}"/>. Build once (e.g. as a singleton) and create
/// cheap per-entity instances from the definition, instead of reconfiguring a machine per request.
/// </summary>
/// <remarks>
/// Order of operations for a transition that changes (or re-enters) state, as run by
/// <see cref="StateMachine{TState, TTrigger, TContext}.FireAsync"/>:
/// <list type="number">
/// <item>guards of every candidate transition are evaluated, each exactly once;</item>
/// <item>exit actions of the source state, in declaration order;</item>
/// <item>the mutator writes the destination state;</item>
/// <item><see cref="OnTransitioned(Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task})"/> hooks;</item>
/// <item>entry actions of the destination (<c>OnEntry</c> and matching <c>OnEntryFrom</c>), in declaration order;</item>
/// <item><see cref="OnTransitionCompleted(Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task})"/> hooks.</item>
/// </list>
/// An internal transition runs: guards, its action, then OnTransitioned and OnTransitionCompleted hooks
/// (with <see cref="Transition{TState, TTrigger}.IsInternal"/> set); no exit, entry or state write.
/// An ignored trigger runs nothing.
/// </remarks>
/// <typeparam name="TState">The state type (an enum in practice).</typeparam>
/// <typeparam name="TTrigger">The trigger type (an enum in practice).</typeparam>
/// <typeparam name="TContext">The per-instance context passed to guards and actions (e.g. the entity and its services).</typeparam>
public sealed class StateMachineBuilder<TState, TTrigger, TContext>
    where TState : notnull
    where TTrigger : notnull
{
    private readonly List<StateConfiguration<TState, TTrigger, TContext>> _configurations = [];
    private readonly List<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> _transitioned = [];
    private readonly List<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> _completed = [];
    private Func<TState, TTrigger, IReadOnlyList<string>, CancellationToken, Task>? _unhandled;

    /// <summary>Returns the configuration for <paramref name="state"/>, creating it on first use.</summary>
    /// <param name="state">The state to configure.</param>
    /// <returns>The state's fluent configuration.</returns>
    public StateConfiguration<TState, TTrigger, TContext> Configure(TState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var existing = _configurations.Find(c => EqualityComparer<TState>.Default.Equals(c.State, state));
        if (existing is not null)
        {
            return existing;
        }

        var created = new StateConfiguration<TState, TTrigger, TContext>(state);
        _configurations.Add(created);
        return created;
    }

    /// <summary>
    /// Adds a hook that runs after the state has been written and before entry actions (use it for audit).
    /// Also runs for internal transitions.
    /// </summary>
    /// <param name="hook">The asynchronous hook.</param>
    /// <returns>This builder, for chaining.</returns>
    public StateMachineBuilder<TState, TTrigger, TContext> OnTransitioned(
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _transitioned.Add(hook);
        return this;
    }

    /// <summary>Synchronous form of <see cref="OnTransitioned(Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task})"/>.</summary>
    /// <param name="hook">The synchronous hook.</param>
    /// <returns>This builder, for chaining.</returns>
    public StateMachineBuilder<TState, TTrigger, TContext> OnTransitioned(Action<Transition<TState, TTrigger>, TContext> hook) =>
        OnTransitioned(Wrap(hook));

    /// <summary>Adds a hook that runs after the last entry action (use it for domain events).</summary>
    /// <param name="hook">The asynchronous hook.</param>
    /// <returns>This builder, for chaining.</returns>
    public StateMachineBuilder<TState, TTrigger, TContext> OnTransitionCompleted(
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _completed.Add(hook);
        return this;
    }

    /// <summary>Synchronous form of <see cref="OnTransitionCompleted(Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task})"/>.</summary>
    /// <param name="hook">The synchronous hook.</param>
    /// <returns>This builder, for chaining.</returns>
    public StateMachineBuilder<TState, TTrigger, TContext> OnTransitionCompleted(Action<Transition<TState, TTrigger>, TContext> hook) =>
        OnTransitionCompleted(Wrap(hook));

    /// <summary>
    /// Replaces the default unhandled-trigger behaviour (throwing <see cref="InvalidTransitionException{TState, TTrigger}"/>).
    /// The handler receives the state, the trigger and the descriptions of the guards that failed.
    /// </summary>
    /// <param name="handler">The asynchronous handler.</param>
    /// <returns>This builder, for chaining.</returns>
    public StateMachineBuilder<TState, TTrigger, TContext> OnUnhandledTrigger(
        Func<TState, TTrigger, IReadOnlyList<string>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _unhandled = handler;
        return this;
    }

    /// <summary>Synchronous form of <see cref="OnUnhandledTrigger(Func{TState, TTrigger, IReadOnlyList{string}, CancellationToken, Task})"/>.</summary>
    /// <param name="handler">The synchronous handler.</param>
    /// <returns>This builder, for chaining.</returns>
    public StateMachineBuilder<TState, TTrigger, TContext> OnUnhandledTrigger(Action<TState, TTrigger, IReadOnlyList<string>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnUnhandledTrigger((s, t, g, _) =>
        {
            handler(s, t, g);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Validates the configuration and returns an immutable definition. The definition copies everything, so later
    /// calls on this builder never change it.
    /// </summary>
    /// <param name="initialStates">States a new entity may start in; every other state must be reachable from them.</param>
    /// <returns>The validated definition, safe to share across threads.</returns>
    /// <exception cref="StateMachineDefinitionException">
    /// No initial state; <c>Permit</c> to the same state; more than one transition for a (state, trigger) pair when any
    /// of them is unguarded (including a trigger both permitted and ignored); or states unreachable from the initial states.
    /// </exception>
    public StateMachineDefinition<TState, TTrigger, TContext> Build(params TState[] initialStates)
    {
        ArgumentNullException.ThrowIfNull(initialStates);
        var comparer = EqualityComparer<TState>.Default;
        var initial = initialStates.Distinct(comparer).ToList();
        var errors = new List<string>();
        if (initial.Count == 0)
        {
            errors.Add("At least one initial state is required.");
        }

        foreach (var config in _configurations)
        {
            ValidateState(config, errors);
        }

        // States mentioned only as a destination or as initial state exist too (terminal states need no Configure).
        var order = _configurations.Select(c => c.State).ToList();
        foreach (var state in initial.Concat(_configurations.SelectMany(c => c.Behaviours).Select(b => b.Destination)))
        {
            if (!order.Contains(state, comparer))
            {
                order.Add(state);
            }
        }

        var unreachable = FindUnreachable(order, initial);
        if (initial.Count > 0 && unreachable.Count > 0)
        {
            errors.Add(
                $"States not reachable from the initial state(s) {Quote(initial)}: {Quote(unreachable)}. " +
                "Remove them or add a transition into them.");
        }

        if (errors.Count > 0)
        {
            throw new StateMachineDefinitionException(errors);
        }

        var representations = order.Select(state =>
        {
            var config = _configurations.Find(c => comparer.Equals(c.State, state));
            return new StateRepresentation<TState, TTrigger, TContext>(
                state, config?.Behaviours ?? [], config?.EntryActions ?? [], config?.ExitActions ?? []);
        });
        return new StateMachineDefinition<TState, TTrigger, TContext>(representations, initial, _transitioned, _completed, _unhandled);
    }

    private static void ValidateState(StateConfiguration<TState, TTrigger, TContext> config, List<string> errors)
    {
        foreach (var selfPermit in config.Behaviours.Where(b =>
            b.Kind == BehaviourKind.Permit && EqualityComparer<TState>.Default.Equals(b.Destination, config.State)))
        {
            errors.Add(
                $"State '{config.State}' permits trigger '{selfPermit.Trigger}' to itself. " +
                "Use PermitReentry (runs exit and entry) or InternalTransition (runs neither).");
        }

        foreach (var group in config.Behaviours.GroupBy(b => b.Trigger).Where(g => g.Count() > 1 && g.Any(b => !b.IsGuarded)))
        {
            var described = string.Join(", ", group.Select(b => "'" + b.Describe() + "'"));
            var ignored = group.Any(b => b.Kind == BehaviourKind.Ignore);
            var handled = group.Any(b => b.Kind != BehaviourKind.Ignore);
            errors.Add(ignored && handled
                ? $"Trigger '{group.Key}' is both permitted and ignored in state '{config.State}': {described}."
                : $"State '{config.State}' has more than one transition for trigger '{group.Key}' and at least one is " +
                  $"unguarded, so they are not mutually exclusive: {described}.");
        }
    }

    private List<TState> FindUnreachable(List<TState> allStates, List<TState> initial)
    {
        var reached = new HashSet<TState>(initial);
        var pending = new Queue<TState>(initial);
        while (pending.TryDequeue(out var state))
        {
            var config = _configurations.Find(c => EqualityComparer<TState>.Default.Equals(c.State, state));
            foreach (var behaviour in config?.Behaviours ?? [])
            {
                if (reached.Add(behaviour.Destination))
                {
                    pending.Enqueue(behaviour.Destination);
                }
            }
        }

        return allStates.Where(s => !reached.Contains(s)).ToList();
    }

    private static string Quote(IEnumerable<TState> states) => string.Join(", ", states.Select(s => "'" + s + "'"));

    private static Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> Wrap(
        Action<Transition<TState, TTrigger>, TContext> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return (t, c, _) =>
        {
            hook(t, c);
            return Task.CompletedTask;
        };
    }
}
