using System.Collections.Immutable;

namespace MhaRights.StateMachine;

/// <summary>
/// One entity's view of a shared <see cref="StateMachineDefinition{TState, TTrigger, TContext}"/>. Cheap to create;
/// holds no state of its own beyond the accessor, mutator and context.
/// </summary>
/// <remarks>
/// <para>
/// Not thread-safe by contract: use one instance per entity per unit of work (one gRPC request). Races between
/// requests are the database's job (optimistic concurrency), not the engine's; there are no locks here because
/// locks around user actions deadlock.
/// </para>
/// <para>
/// There is no queue. Firing from inside an action or hook of the same instance (re-entrant firing), or while
/// another fire on the same instance is still running, throws <see cref="InvalidOperationException"/>.
/// </para>
/// </remarks>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TTrigger">The trigger type.</typeparam>
/// <typeparam name="TContext">The per-instance context passed to guards and actions.</typeparam>
public sealed class StateMachine<TState, TTrigger, TContext>
    where TState : notnull
    where TTrigger : notnull
{
    private readonly StateMachineDefinition<TState, TTrigger, TContext> _definition;
    private readonly Func<TState> _accessor;
    private readonly Action<TState> _mutator;
    private int _firing;

    internal StateMachine(
        StateMachineDefinition<TState, TTrigger, TContext> definition,
        Func<TState> accessor,
        Action<TState> mutator,
        TContext context)
    {
        _definition = definition;
        _accessor = accessor;
        _mutator = mutator;
        Context = context;
    }

    /// <summary>The current state, read through the accessor every time (never cached).</summary>
    public TState State => _accessor();

    /// <summary>The context passed to guards, actions and hooks.</summary>
    public TContext Context { get; }

    /// <summary>The definition this instance runs.</summary>
    public StateMachineDefinition<TState, TTrigger, TContext> Definition => _definition;

    /// <summary>True when the current state equals <paramref name="state"/> (there are no superstates).</summary>
    /// <param name="state">The state to test.</param>
    /// <returns>Whether the machine is in that state.</returns>
    public bool IsInState(TState state) => EqualityComparer<TState>.Default.Equals(State, state);

    /// <summary>
    /// Fires <paramref name="trigger"/> and runs the selected transition to completion.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Order: guards (each evaluated once) → exit actions of the source → mutator writes the destination →
    /// OnTransitioned hooks → entry actions → OnTransitionCompleted hooks. Internal transitions run their action,
    /// then both hook lists, without exit, entry or a state write. Ignored triggers run nothing.
    /// </para>
    /// <para>
    /// Exceptions from guards, actions and hooks propagate unchanged and nothing is rolled back: if an entry action or
    /// a hook fails, the mutator has already written the new state. The caller must discard the unit of work (the
    /// service rolls back its database transaction). Nothing is queued, so nothing is left over for a later fire.
    /// </para>
    /// <para>
    /// Continuations resume on the caller's context (no <c>ConfigureAwait(false)</c>, no <c>Task.Run</c>): all
    /// actions run sequentially in the caller's flow, which keeps EF Core <c>DbContext</c> use safe.
    /// Cancellation is checked once before anything runs, then passed to every action and hook.
    /// </para>
    /// </remarks>
    /// <param name="trigger">The trigger to fire.</param>
    /// <param name="cancellationToken">Checked before any work, then passed to actions and hooks.</param>
    /// <returns>A task that completes when the last hook has run.</returns>
    /// <exception cref="InvalidTransitionException{TState, TTrigger}">The trigger is not handled in the current state (or all its guards fail) and no unhandled-trigger handler is configured.</exception>
    /// <exception cref="InvalidOperationException">Re-entrant or concurrent firing on this instance; or more than one guarded transition passes (guards must be mutually exclusive).</exception>
    public Task FireAsync(TTrigger trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);

        // Thrown synchronously so that even an un-awaited nested call fails loudly instead of being lost in a task.
        if (Interlocked.CompareExchange(ref _firing, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                $"Cannot fire trigger '{trigger}': this state machine instance is already processing a trigger. " +
                "Firing from inside an action or hook (re-entrant firing) or concurrently on one instance is not supported; " +
                "return a result from the action and fire the next trigger after FireAsync completes.");
        }

        return FireCoreAsync(trigger, cancellationToken);
    }

    /// <summary>
    /// True when firing <paramref name="trigger"/> now would not be rejected (ignored triggers count as accepted).
    /// Overlapping guards are not reported here; <see cref="FireAsync"/> throws for them.
    /// </summary>
    /// <param name="trigger">The trigger to test.</param>
    /// <returns>Whether the trigger would be handled.</returns>
    public bool CanFire(TTrigger trigger) => CanFire(trigger, out _);

    /// <summary>
    /// As <see cref="CanFire(TTrigger)"/>, also returning the descriptions of the guards that failed, for explaining
    /// to a user why an action is unavailable. Evaluates each candidate guard once.
    /// </summary>
    /// <param name="trigger">The trigger to test.</param>
    /// <param name="unmetGuards">Descriptions of failing guards; empty when the result is true or the trigger is unknown here.</param>
    /// <returns>Whether the trigger would be handled.</returns>
    public bool CanFire(TTrigger trigger, out IReadOnlyList<string> unmetGuards)
    {
        var selection = Select(State, trigger);
        unmetGuards = selection.Chosen.Count > 0 ? [] : selection.UnmetGuards;
        return selection.Chosen.Count > 0;
    }

    /// <summary>
    /// Triggers that would cause a transition now (fixed, reentry or internal, with guards holding), in declaration
    /// order. Ignored triggers are excluded: they are accepted but do nothing, so offering them to a user would mislead.
    /// </summary>
    /// <returns>The permitted triggers, without duplicates.</returns>
    public IReadOnlyList<TTrigger> GetPermittedTriggers()
    {
        if (!_definition.States.TryGetValue(State, out var representation))
        {
            return [];
        }

        return [.. representation.Behaviours
            .Where(b => b.Kind != BehaviourKind.Ignore && b.Guards.All(g => g.Predicate(Context)))
            .Select(b => b.Trigger)
            .Distinct()];
    }

    /// <summary>Describes the definition this instance runs (same as <see cref="StateMachineDefinition{TState, TTrigger, TContext}.GetInfo"/>).</summary>
    /// <returns>The definition's description.</returns>
    public StateMachineInfo GetInfo() => _definition.GetInfo();

    private async Task FireCoreAsync(TTrigger trigger, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = _accessor();
            var selection = Select(source, trigger);
            if (selection.Chosen.Count > 1)
            {
                throw new InvalidOperationException(
                    $"Multiple transitions are permitted from state '{source}' for trigger '{trigger}': " +
                    $"{string.Join(", ", selection.Chosen.Select(b => "'" + b.Describe() + "'"))}. Guards must be mutually exclusive.");
            }

            if (selection.Chosen.Count == 0)
            {
                await HandleUnhandledAsync(source, trigger, selection.UnmetGuards, cancellationToken);
                return;
            }

            var behaviour = selection.Chosen[0];
            switch (behaviour.Kind)
            {
                case BehaviourKind.Ignore:
                    return;
                case BehaviourKind.Internal:
                    var internalTransition = new Transition<TState, TTrigger>(source, source, trigger, IsReentry: false, IsInternal: true);
                    await behaviour.Action!.Execute(internalTransition, Context, cancellationToken);
                    await RunHooksAsync(_definition.TransitionedHooks, internalTransition, cancellationToken);
                    await RunHooksAsync(_definition.CompletedHooks, internalTransition, cancellationToken);
                    return;
                default:
                    await TransitionAsync(behaviour, source, cancellationToken);
                    return;
            }
        }
        finally
        {
            Volatile.Write(ref _firing, 0);
        }
    }

    private async Task TransitionAsync(TriggerBehaviour<TState, TTrigger, TContext> behaviour, TState source, CancellationToken cancellationToken)
    {
        var destination = behaviour.Destination;
        var transition = new Transition<TState, TTrigger>(
            source, destination, behaviour.Trigger, IsReentry: behaviour.Kind == BehaviourKind.Reentry, IsInternal: false);

        foreach (var exit in _definition.States[source].ExitActions)
        {
            await exit.Execute(transition, Context, cancellationToken);
        }

        _mutator(destination);
        await RunHooksAsync(_definition.TransitionedHooks, transition, cancellationToken);

        foreach (var entry in _definition.States[destination].EntryActions.Where(a => a.AppliesTo(behaviour.Trigger)))
        {
            await entry.Execute(transition, Context, cancellationToken);
        }

        await RunHooksAsync(_definition.CompletedHooks, transition, cancellationToken);
    }

    private async Task RunHooksAsync(
        ImmutableArray<Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task>> hooks,
        Transition<TState, TTrigger> transition,
        CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            await hook(transition, Context, cancellationToken);
        }
    }

    private Task HandleUnhandledAsync(TState state, TTrigger trigger, IReadOnlyList<string> unmetGuards, CancellationToken cancellationToken)
    {
        var handler = _definition.UnhandledTriggerHandler;
        return handler is null
            ? throw new InvalidTransitionException<TState, TTrigger>(state, trigger, unmetGuards)
            : handler(state, trigger, unmetGuards, cancellationToken);
    }

    /// <summary>Evaluates every candidate's guards exactly once and returns those that pass, or the failed descriptions.</summary>
    private Selection Select(TState state, TTrigger trigger)
    {
        if (!_definition.States.TryGetValue(state, out var representation)
            || !representation.ByTrigger.TryGetValue(trigger, out var candidates))
        {
            return new Selection([], []);
        }

        var chosen = new List<TriggerBehaviour<TState, TTrigger, TContext>>(1);
        var unmet = new List<string>();
        foreach (var candidate in candidates)
        {
            var passed = true;
            foreach (var guard in candidate.Guards)
            {
                if (!guard.Predicate(Context))
                {
                    passed = false;
                    if (!unmet.Contains(guard.Description))
                    {
                        unmet.Add(guard.Description);
                    }
                }
            }

            if (passed)
            {
                chosen.Add(candidate);
            }
        }

        return new Selection(chosen, unmet);
    }

    private readonly record struct Selection(
        IReadOnlyList<TriggerBehaviour<TState, TTrigger, TContext>> Chosen,
        IReadOnlyList<string> UnmetGuards);
}
