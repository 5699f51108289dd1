using System.Collections.Immutable;

namespace MhaRights.StateMachine;

/// <summary>
/// Fluent configuration of one state, returned by
/// <see cref="StateMachineBuilder{TState, TTrigger, TContext}.Configure(TState)"/>. Method names follow Stateless
/// so that readers who know it recognise them. Nothing is validated here; <c>Build</c> checks the whole
/// definition at once.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TTrigger">The trigger type.</typeparam>
/// <typeparam name="TContext">The per-instance context passed to guards and actions.</typeparam>
public sealed class StateConfiguration<TState, TTrigger, TContext>
    where TState : notnull
    where TTrigger : notnull
{
    internal StateConfiguration(TState state) => State = state;

    /// <summary>The state being configured.</summary>
    public TState State { get; }

    internal List<TriggerBehaviour<TState, TTrigger, TContext>> Behaviours { get; } = [];

    internal List<ActionBehaviour<TState, TTrigger, TContext>> EntryActions { get; } = [];

    internal List<ActionBehaviour<TState, TTrigger, TContext>> ExitActions { get; } = [];

    /// <summary>Moves to <paramref name="destination"/> when <paramref name="trigger"/> is fired.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="destination">The destination; must differ from this state (use <see cref="PermitReentry"/>).</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> Permit(TTrigger trigger, TState destination) =>
        Add(trigger, BehaviourKind.Permit, destination, [], null);

    /// <summary>Moves to <paramref name="destination"/> only when <paramref name="guard"/> holds.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="destination">The destination state.</param>
    /// <param name="guard">A pure, cheap predicate; evaluated once per fire.</param>
    /// <param name="guardDescription">Human-readable text shown in errors and diagrams.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> PermitIf(
        TTrigger trigger, TState destination, Func<TContext, bool> guard, string guardDescription) =>
        Add(trigger, BehaviourKind.Permit, destination, [Descriptions.ForGuard(guard, guardDescription)], null);

    /// <summary>Moves to <paramref name="destination"/> only when every guard holds.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="destination">The destination state.</param>
    /// <param name="guards">Guards with descriptions; all must hold.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> PermitIf(
        TTrigger trigger, TState destination, params (Func<TContext, bool> Guard, string Description)[] guards)
    {
        ArgumentNullException.ThrowIfNull(guards);
        if (guards.Length == 0)
        {
            throw new ArgumentException("At least one guard is required; use Permit for an unguarded transition.", nameof(guards));
        }

        return Add(trigger, BehaviourKind.Permit, destination, [.. guards.Select(g => Descriptions.ForGuard(g.Guard, g.Description))], null);
    }

    /// <summary>Exits and re-enters this state: exit and entry actions each run once.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> PermitReentry(TTrigger trigger) =>
        Add(trigger, BehaviourKind.Reentry, State, [], null);

    /// <summary>Re-enters this state only when <paramref name="guard"/> holds.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="guard">A pure, cheap predicate.</param>
    /// <param name="guardDescription">Human-readable text shown in errors and diagrams.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> PermitReentryIf(
        TTrigger trigger, Func<TContext, bool> guard, string guardDescription) =>
        Add(trigger, BehaviourKind.Reentry, State, [Descriptions.ForGuard(guard, guardDescription)], null);

    /// <summary>Swallows <paramref name="trigger"/> silently: no actions, no hooks, no state write.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> Ignore(TTrigger trigger) =>
        Add(trigger, BehaviourKind.Ignore, State, [], null);

    /// <summary>Swallows <paramref name="trigger"/> only when <paramref name="guard"/> holds.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="guard">A pure, cheap predicate.</param>
    /// <param name="guardDescription">Human-readable text shown in errors.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> IgnoreIf(
        TTrigger trigger, Func<TContext, bool> guard, string guardDescription) =>
        Add(trigger, BehaviourKind.Ignore, State, [Descriptions.ForGuard(guard, guardDescription)], null);

    /// <summary>Runs <paramref name="action"/> without leaving the state: no exit, no entry, no state write.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="action">The asynchronous action.</param>
    /// <param name="actionDescription">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> InternalTransition(
        TTrigger trigger,
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> action,
        string? actionDescription = null) =>
        Add(trigger, BehaviourKind.Internal, State, [], ActionBehaviour<TState, TTrigger, TContext>.Create(action, actionDescription));

    /// <summary>Synchronous form of <see cref="InternalTransition(TTrigger, Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task}, string?)"/>.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="action">The synchronous action.</param>
    /// <param name="actionDescription">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> InternalTransition(
        TTrigger trigger, Action<Transition<TState, TTrigger>, TContext> action, string? actionDescription = null) =>
        Add(trigger, BehaviourKind.Internal, State, [], ActionBehaviour<TState, TTrigger, TContext>.Create(action, actionDescription));

    /// <summary>Internal transition that applies only when <paramref name="guard"/> holds.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="guard">A pure, cheap predicate.</param>
    /// <param name="guardDescription">Human-readable text shown in errors and diagrams.</param>
    /// <param name="action">The asynchronous action.</param>
    /// <param name="actionDescription">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> InternalTransitionIf(
        TTrigger trigger,
        Func<TContext, bool> guard,
        string guardDescription,
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> action,
        string? actionDescription = null) =>
        Add(
            trigger,
            BehaviourKind.Internal,
            State,
            [Descriptions.ForGuard(guard, guardDescription)],
            ActionBehaviour<TState, TTrigger, TContext>.Create(action, actionDescription));

    /// <summary>Synchronous form of the guarded internal transition.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="guard">A pure, cheap predicate.</param>
    /// <param name="guardDescription">Human-readable text shown in errors and diagrams.</param>
    /// <param name="action">The synchronous action.</param>
    /// <param name="actionDescription">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> InternalTransitionIf(
        TTrigger trigger,
        Func<TContext, bool> guard,
        string guardDescription,
        Action<Transition<TState, TTrigger>, TContext> action,
        string? actionDescription = null) =>
        Add(
            trigger,
            BehaviourKind.Internal,
            State,
            [Descriptions.ForGuard(guard, guardDescription)],
            ActionBehaviour<TState, TTrigger, TContext>.Create(action, actionDescription));

    /// <summary>
    /// Runs <paramref name="action"/> whenever this state is entered (including reentry). Runs after the mutator
    /// has written the new state, so a failure here leaves the entity in the new state; discard the unit of work.
    /// </summary>
    /// <param name="action">The asynchronous action.</param>
    /// <param name="description">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> OnEntry(
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> action, string? description = null)
    {
        EntryActions.Add(ActionBehaviour<TState, TTrigger, TContext>.Create(action, description));
        return this;
    }

    /// <summary>Synchronous form of <see cref="OnEntry(Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task}, string?)"/>.</summary>
    /// <param name="action">The synchronous action.</param>
    /// <param name="description">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> OnEntry(
        Action<Transition<TState, TTrigger>, TContext> action, string? description = null)
    {
        EntryActions.Add(ActionBehaviour<TState, TTrigger, TContext>.Create(action, description));
        return this;
    }

    /// <summary>Runs <paramref name="action"/> on entry only when the state is entered via <paramref name="trigger"/>.</summary>
    /// <param name="trigger">The trigger that must have caused the entry.</param>
    /// <param name="action">The asynchronous action.</param>
    /// <param name="description">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> OnEntryFrom(
        TTrigger trigger, Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> action, string? description = null)
    {
        EntryActions.Add(ActionBehaviour<TState, TTrigger, TContext>.Create(action, description, hasFromTrigger: true, trigger));
        return this;
    }

    /// <summary>Synchronous form of <see cref="OnEntryFrom(TTrigger, Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task}, string?)"/>.</summary>
    /// <param name="trigger">The trigger that must have caused the entry.</param>
    /// <param name="action">The synchronous action.</param>
    /// <param name="description">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> OnEntryFrom(
        TTrigger trigger, Action<Transition<TState, TTrigger>, TContext> action, string? description = null)
    {
        EntryActions.Add(ActionBehaviour<TState, TTrigger, TContext>.Create(action, description, hasFromTrigger: true, trigger));
        return this;
    }

    /// <summary>Runs <paramref name="action"/> whenever this state is left (including reentry), before the state is written.</summary>
    /// <param name="action">The asynchronous action.</param>
    /// <param name="description">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> OnExit(
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> action, string? description = null)
    {
        ExitActions.Add(ActionBehaviour<TState, TTrigger, TContext>.Create(action, description));
        return this;
    }

    /// <summary>Synchronous form of <see cref="OnExit(Func{Transition{TState, TTrigger}, TContext, CancellationToken, Task}, string?)"/>.</summary>
    /// <param name="action">The synchronous action.</param>
    /// <param name="description">Optional text for introspection.</param>
    /// <returns>This configuration, for chaining.</returns>
    public StateConfiguration<TState, TTrigger, TContext> OnExit(
        Action<Transition<TState, TTrigger>, TContext> action, string? description = null)
    {
        ExitActions.Add(ActionBehaviour<TState, TTrigger, TContext>.Create(action, description));
        return this;
    }

    private StateConfiguration<TState, TTrigger, TContext> Add(
        TTrigger trigger,
        BehaviourKind kind,
        TState destination,
        ImmutableArray<Guard<TContext>> guards,
        ActionBehaviour<TState, TTrigger, TContext>? action)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(destination);
        Behaviours.Add(new TriggerBehaviour<TState, TTrigger, TContext>(State, trigger, kind, destination, guards, action));
        return this;
    }
}
