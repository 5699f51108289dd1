using System.Globalization;

namespace MhaRights.StateMachine;

/// <summary>
/// Thrown when a trigger is fired in a state that does not handle it, or whose guards all fail.
/// Non-generic so that a gRPC interceptor can map it to <c>FAILED_PRECONDITION</c> without knowing the
/// machine's type arguments, and distinct from <see cref="InvalidOperationException"/> so that
/// user-code failures are not mistaken for workflow rejections.
/// </summary>
public class InvalidTransitionException : Exception
{
    /// <summary>Creates the exception with a message in the Stateless style.</summary>
    /// <param name="state">The state the machine was in.</param>
    /// <param name="trigger">The trigger that was fired.</param>
    /// <param name="unmetGuards">Descriptions of the guards that failed; empty when no transition exists at all.</param>
    public InvalidTransitionException(object state, object trigger, IReadOnlyList<string> unmetGuards)
        : base(FormatMessage(state, trigger, unmetGuards))
    {
        ArgumentNullException.ThrowIfNull(unmetGuards);
        State = state;
        Trigger = trigger;
        UnmetGuards = [.. unmetGuards];
    }

    /// <summary>The state the machine was in when the trigger was fired.</summary>
    public object State { get; }

    /// <summary>The trigger that could not be handled.</summary>
    public object Trigger { get; }

    /// <summary>Descriptions of the guards that prevented the transition (empty if the trigger is not configured).</summary>
    public IReadOnlyList<string> UnmetGuards { get; }

    private static string FormatMessage(object state, object trigger, IReadOnlyList<string> unmetGuards)
    {
        ArgumentNullException.ThrowIfNull(unmetGuards);
        return unmetGuards.Count == 0
            ? string.Format(
                CultureInfo.InvariantCulture,
                "No valid leaving transitions are permitted from state '{0}' for trigger '{1}'. Consider ignoring the trigger.",
                state,
                trigger)
            : string.Format(
                CultureInfo.InvariantCulture,
                "Trigger '{1}' is valid for transition from state '{0}' but a guard condition is not met. Guard descriptions: {2}.",
                state,
                trigger,
                string.Join(", ", unmetGuards.Select(g => "'" + g + "'")));
    }
}

/// <summary>
/// The typed form of <see cref="InvalidTransitionException"/> thrown by <see cref="StateMachine{TState, TTrigger, TContext}"/>;
/// catch the non-generic base when the type arguments are unknown.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TTrigger">The trigger type.</typeparam>
public sealed class InvalidTransitionException<TState, TTrigger> : InvalidTransitionException
    where TState : notnull
    where TTrigger : notnull
{
    /// <summary>Creates the exception.</summary>
    /// <param name="state">The state the machine was in.</param>
    /// <param name="trigger">The trigger that was fired.</param>
    /// <param name="unmetGuards">Descriptions of the guards that failed.</param>
    public InvalidTransitionException(TState state, TTrigger trigger, IReadOnlyList<string> unmetGuards)
        : base(state, trigger, unmetGuards)
    {
        State = state;
        Trigger = trigger;
    }

    /// <summary>The state the machine was in, typed.</summary>
    public new TState State { get; }

    /// <summary>The trigger that could not be handled, typed.</summary>
    public new TTrigger Trigger { get; }
}

/// <summary>
/// Thrown by <see cref="StateMachineBuilder{TState, TTrigger, TContext}.Build"/> when the configuration is
/// inconsistent. Every problem found is reported at once so a workflow author can fix them in one pass.
/// </summary>
public sealed class StateMachineDefinitionException : Exception
{
    /// <summary>Creates the exception from the list of problems found.</summary>
    /// <param name="errors">One human-readable sentence per problem.</param>
    public StateMachineDefinitionException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = [.. errors];
    }

    /// <summary>One sentence per problem, in the order they were detected.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "The state machine definition is invalid:" + string.Concat(errors.Select(e => "\n - " + e));
    }
}
