namespace MhaRights.StateMachine;

/// <summary>
/// A read-only, non-generic description of a definition, for diagrams, an admin-CLI <c>describe-workflow</c>
/// command and golden-file tests. Values are boxed so that exporters need no type arguments.
/// </summary>
/// <param name="States">Every state, in declaration order (configured states first, then states only referenced).</param>
/// <param name="InitialStates">The states passed to <c>Build</c>.</param>
public sealed record StateMachineInfo(IReadOnlyList<StateInfo> States, IReadOnlyList<object> InitialStates);

/// <summary>One state and everything configured on it, each list in declaration order.</summary>
/// <param name="UnderlyingState">The state value.</param>
/// <param name="EntryActions">Entry actions (<see cref="ActionInfo.FromTrigger"/> set for <c>OnEntryFrom</c>).</param>
/// <param name="ExitActions">Exit actions.</param>
/// <param name="FixedTransitions">Transitions to another state (<c>Permit</c>, <c>PermitIf</c>).</param>
/// <param name="ReentryTransitions">Reentry transitions (<c>PermitReentry</c>, <c>PermitReentryIf</c>).</param>
/// <param name="InternalTransitions">Internal transitions.</param>
/// <param name="IgnoredTriggers">Ignored triggers (never reported as permitted).</param>
public sealed record StateInfo(
    object UnderlyingState,
    IReadOnlyList<ActionInfo> EntryActions,
    IReadOnlyList<ActionInfo> ExitActions,
    IReadOnlyList<TransitionInfo> FixedTransitions,
    IReadOnlyList<TransitionInfo> ReentryTransitions,
    IReadOnlyList<InternalTransitionInfo> InternalTransitions,
    IReadOnlyList<IgnoredTriggerInfo> IgnoredTriggers)
{
    /// <summary>The state's display name.</summary>
    public string Name => UnderlyingState.ToString() ?? string.Empty;
}

/// <summary>An entry or exit action.</summary>
/// <param name="Description">The given description, else the method name, else "Function".</param>
/// <param name="FromTrigger">For <c>OnEntryFrom</c>, the trigger it is restricted to; otherwise null.</param>
public sealed record ActionInfo(string Description, object? FromTrigger);

/// <summary>A transition from <paramref name="Source"/> to <paramref name="Destination"/> (equal for reentry).</summary>
/// <param name="Source">The source state.</param>
/// <param name="Trigger">The trigger.</param>
/// <param name="Destination">The destination state.</param>
/// <param name="GuardDescriptions">Descriptions of the guards that must all hold; empty when unguarded.</param>
public sealed record TransitionInfo(object Source, object Trigger, object Destination, IReadOnlyList<string> GuardDescriptions);

/// <summary>An internal transition.</summary>
/// <param name="Source">The state it belongs to.</param>
/// <param name="Trigger">The trigger.</param>
/// <param name="ActionDescription">Description of the action it runs.</param>
/// <param name="GuardDescriptions">Descriptions of its guards; empty when unguarded.</param>
public sealed record InternalTransitionInfo(object Source, object Trigger, string ActionDescription, IReadOnlyList<string> GuardDescriptions);

/// <summary>An ignored trigger.</summary>
/// <param name="Trigger">The trigger.</param>
/// <param name="GuardDescriptions">Descriptions of the <c>IgnoreIf</c> guards; empty when always ignored.</param>
public sealed record IgnoredTriggerInfo(object Trigger, IReadOnlyList<string> GuardDescriptions);
