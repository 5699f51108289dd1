using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>
/// Checks a Stateless definition through <c>GetInfo()</c>, because Stateless itself only finds mistakes when a trigger
/// is fired (if ever): states no transition leads to, triggers declared but never handled, and the same trigger
/// handled twice in a state without guards to tell the handlers apart (Stateless would throw "Multiple permitted exit
/// transitions" on that request).
/// </summary>
public static class WorkflowDefinitionValidator
{
    /// <summary>One sentence per problem; empty when the definition is sound.</summary>
    public static IReadOnlyList<string> Validate(StateMachineInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var errors = new List<string>();
        var states = info.States.ToList();

        var unreachable = Unreachable(info.InitialState, states);
        if (unreachable.Count > 0)
        {
            errors.Add($"States not reachable from the initial state '{info.InitialState.UnderlyingState}': {Quote(unreachable)}.");
        }

        if (info.TriggerType.IsEnum)
        {
            var handled = states
                .SelectMany(s => s.FixedTransitions.Select(t => t.Trigger.UnderlyingTrigger)
                    .Concat(s.DynamicTransitions.Select(t => t.Trigger.UnderlyingTrigger)))
                .ToHashSet();
            var unhandled = Enum.GetValues(info.TriggerType).Cast<object>().Where(t => !handled.Contains(t)).ToList();
            if (unhandled.Count > 0)
            {
                errors.Add($"Triggers declared but with no transition in any state: {Quote(unhandled)}.");
            }
        }

        foreach (var state in states)
        {
            var handlers = state.FixedTransitions.Select(t => (t.Trigger.UnderlyingTrigger, Guarded: t.GuardConditionsMethodDescriptions.Any()))
                .Concat(state.DynamicTransitions.Select(t => (t.Trigger.UnderlyingTrigger, Guarded: t.GuardConditionsMethodDescriptions.Any())))
                .Concat(state.IgnoredTriggers.Select(t => (t.Trigger.UnderlyingTrigger, Guarded: t.GuardConditionsMethodDescriptions.Any())));
            foreach (var clash in handlers.GroupBy(h => h.UnderlyingTrigger).Where(g => g.Count() > 1 && g.Any(h => !h.Guarded)))
            {
                errors.Add($"State '{state.UnderlyingState}' handles trigger '{clash.Key}' more than once and not every handler is guarded.");
            }
        }

        return errors;
    }

    private static List<object> Unreachable(StateInfo initial, List<StateInfo> states)
    {
        // Dynamic transitions name their possible destinations as text, so reachability is tracked by name.
        var reached = new HashSet<string>(StringComparer.Ordinal) { Name(initial) };
        var byName = states.ToDictionary(Name, StringComparer.Ordinal);

        // StateMachineInfo.InitialState carries no transitions; the configured state of the same name does.
        var pending = new Queue<StateInfo>(byName.TryGetValue(Name(initial), out var configured) ? [configured] : []);
        while (pending.TryDequeue(out var state))
        {
            var next = state.FixedTransitions.Select(t => Name(t.DestinationState))
                .Concat(state.DynamicTransitions.SelectMany(t => t.PossibleDestinationStates.Select(d => d.DestinationState)));
            foreach (var name in next)
            {
                if (reached.Add(name) && byName.TryGetValue(name, out var destination))
                {
                    pending.Enqueue(destination);
                }
            }
        }

        return [.. states.Where(s => !reached.Contains(Name(s))).Select(s => s.UnderlyingState)];
    }

    private static string Name(StateInfo state) => state.UnderlyingState.ToString() ?? string.Empty;

    private static string Quote(IEnumerable<object> values) => string.Join(", ", values.Select(v => $"'{v}'"));
}
