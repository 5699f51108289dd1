namespace MhaRights.Server.Workflow;

/// <summary>
/// A trigger was fired in a state that does not handle it, or whose guards all failed. Non-generic so that
/// Api/ErrorMappingInterceptor maps it to FAILED_PRECONDITION (INVALID_STATE_TRANSITION) without knowing the machine's
/// type arguments, and distinct from <see cref="InvalidOperationException"/> (which Stateless throws for everything)
/// so that a failure in our own code is never reported to a clerk as a workflow refusal.
/// </summary>
public class InvalidTransitionException : Exception
{
    public InvalidTransitionException(object state, object trigger, IReadOnlyList<string> unmetGuards, string? message = null)
        : base(message ?? TransitionMessages.Default(state, trigger, unmetGuards))
    {
        ArgumentNullException.ThrowIfNull(unmetGuards);
        State = state;
        Trigger = trigger;
        UnmetGuards = [.. unmetGuards];
    }

    /// <summary>The state the entity was in.</summary>
    public object State { get; }

    /// <summary>The trigger (or API method) that was refused.</summary>
    public object Trigger { get; }

    /// <summary>Descriptions of the guards that prevented the transition; empty when the state has no such transition.</summary>
    public IReadOnlyList<string> UnmetGuards { get; }
}

/// <summary>The typed form, for tests and callers that know the machine's types.</summary>
public sealed class InvalidTransitionException<TState, TTrigger>(TState state, TTrigger trigger, IReadOnlyList<string> unmetGuards, string? message = null)
    : InvalidTransitionException(state, trigger, unmetGuards, message)
    where TState : notnull
    where TTrigger : notnull
{
    public new TState State { get; } = state;

    public new TTrigger Trigger { get; } = trigger;
}
