using System.Collections.Frozen;
using System.Collections.Immutable;

namespace MhaRights.StateMachine;

/// <summary>How a state handles a trigger.</summary>
internal enum BehaviourKind
{
    Permit,
    Reentry,
    Internal,
    Ignore,
}

/// <summary>A described guard; the description is what users see in errors and diagrams.</summary>
internal sealed record Guard<TContext>(Func<TContext, bool> Predicate, string Description);

/// <summary>An entry, exit or internal-transition action, always stored in its async form.</summary>
internal sealed record ActionBehaviour<TState, TTrigger, TContext>(
    Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> Execute,
    string Description,
    bool HasFromTrigger,
    TTrigger FromTrigger)
    where TState : notnull
    where TTrigger : notnull
{
    public static ActionBehaviour<TState, TTrigger, TContext> Create(
        Func<Transition<TState, TTrigger>, TContext, CancellationToken, Task> action,
        string? description,
        bool hasFromTrigger = false,
        TTrigger fromTrigger = default!)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new(action, Descriptions.ForDelegate(action, description), hasFromTrigger, fromTrigger);
    }

    public static ActionBehaviour<TState, TTrigger, TContext> Create(
        Action<Transition<TState, TTrigger>, TContext> action,
        string? description,
        bool hasFromTrigger = false,
        TTrigger fromTrigger = default!)
    {
        ArgumentNullException.ThrowIfNull(action);

        // Wrap synchronously: the action runs on the caller's thread, exceptions surface from the await.
        return new(
            (t, c, _) =>
            {
                action(t, c);
                return Task.CompletedTask;
            },
            Descriptions.ForDelegate(action, description),
            hasFromTrigger,
            fromTrigger);
    }

    public bool AppliesTo(TTrigger trigger) =>
        !HasFromTrigger || EqualityComparer<TTrigger>.Default.Equals(FromTrigger, trigger);
}

/// <summary>One configured way of handling a trigger in a state.</summary>
internal sealed record TriggerBehaviour<TState, TTrigger, TContext>(
    TState Source,
    TTrigger Trigger,
    BehaviourKind Kind,
    TState Destination,
    ImmutableArray<Guard<TContext>> Guards,
    ActionBehaviour<TState, TTrigger, TContext>? Action)
    where TState : notnull
    where TTrigger : notnull
{
    public bool IsGuarded => Guards.Length > 0;

    /// <summary>Short text used in error messages, e.g. <c>Permit Submit -> Approved [has approver]</c>.</summary>
    public string Describe()
    {
        var text = Kind switch
        {
            BehaviourKind.Permit => $"Permit {Trigger} -> {Destination}",
            BehaviourKind.Reentry => $"PermitReentry {Trigger}",
            BehaviourKind.Internal => $"InternalTransition {Trigger}",
            _ => $"Ignore {Trigger}",
        };
        return IsGuarded ? $"{text} [{string.Join(" && ", Guards.Select(g => g.Description))}]" : text;
    }
}

/// <summary>The frozen configuration of one state inside a built definition.</summary>
internal sealed class StateRepresentation<TState, TTrigger, TContext>
    where TState : notnull
    where TTrigger : notnull
{
    public StateRepresentation(
        TState state,
        IEnumerable<TriggerBehaviour<TState, TTrigger, TContext>> behaviours,
        IEnumerable<ActionBehaviour<TState, TTrigger, TContext>> entryActions,
        IEnumerable<ActionBehaviour<TState, TTrigger, TContext>> exitActions)
    {
        State = state;
        Behaviours = [.. behaviours];
        EntryActions = [.. entryActions];
        ExitActions = [.. exitActions];
        ByTrigger = Behaviours
            .GroupBy(b => b.Trigger)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray());
    }

    public TState State { get; }

    /// <summary>All behaviours in declaration order (drives introspection order).</summary>
    public ImmutableArray<TriggerBehaviour<TState, TTrigger, TContext>> Behaviours { get; }

    public FrozenDictionary<TTrigger, ImmutableArray<TriggerBehaviour<TState, TTrigger, TContext>>> ByTrigger { get; }

    public ImmutableArray<ActionBehaviour<TState, TTrigger, TContext>> EntryActions { get; }

    public ImmutableArray<ActionBehaviour<TState, TTrigger, TContext>> ExitActions { get; }
}

/// <summary>Default descriptions, following Stateless: the user's text, else the method name, else "Function".</summary>
internal static class Descriptions
{
    public const string Anonymous = "Function";

    public static string ForDelegate(Delegate action, string? description)
    {
        if (!string.IsNullOrWhiteSpace(description))
        {
            return description;
        }

        // Compiler-generated names (lambdas, local functions) contain '<' and mean nothing to a reader.
        var name = action.Method.Name;
        return name.Contains('<', StringComparison.Ordinal) ? Anonymous : name;
    }

    public static Guard<TContext> ForGuard<TContext>(Func<TContext, bool> guard, string description)
    {
        ArgumentNullException.ThrowIfNull(guard);

        // Guard descriptions are mandatory: they are what a clinician-facing error and the diagram show.
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new Guard<TContext>(guard, description);
    }
}
