namespace MhaRights.StateMachine;

/// <summary>
/// Describes one handled trigger. Actions and hooks receive it so that audit records can say
/// exactly what happened without re-reading the entity.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TTrigger">The trigger type.</typeparam>
/// <param name="Source">The state the machine was in when the trigger was fired.</param>
/// <param name="Destination">The state the machine is in afterwards (equal to <paramref name="Source"/> for reentry and internal transitions).</param>
/// <param name="Trigger">The trigger that was fired.</param>
/// <param name="IsReentry">True when the state was exited and re-entered (<c>PermitReentry</c>).</param>
/// <param name="IsInternal">True for an internal transition: no exit, no entry, state not written.</param>
public sealed record Transition<TState, TTrigger>(
    TState Source,
    TState Destination,
    TTrigger Trigger,
    bool IsReentry,
    bool IsInternal)
    where TState : notnull
    where TTrigger : notnull;
