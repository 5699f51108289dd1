using System.Text;

namespace MhaRights.StateMachine;

/// <summary>
/// Exports a <see cref="StateMachineInfo"/> as a Mermaid <c>stateDiagram-v2</c> (renders on GitHub and in Azure
/// DevOps wikis). Output is deterministic (declaration order, <c>\n</c> line endings, trailing newline) so that it
/// can be golden-file tested.
/// </summary>
/// <remarks>
/// Fixed and reentry transitions are edges (<c>A --&gt; B : Trigger [guard]</c>); entry/exit actions and internal
/// transitions are written as state descriptions, as UML draws them inside the state. Ignored triggers are omitted.
/// </remarks>
public static class MermaidGraph
{
    /// <summary>Formats <paramref name="info"/> as Mermaid text.</summary>
    /// <param name="info">The machine description.</param>
    /// <param name="direction">Layout direction (<c>LR</c>, <c>TB</c>, ...); null or empty omits the directive.</param>
    /// <returns>The diagram text.</returns>
    public static string Format(StateMachineInfo info, string? direction = "LR")
    {
        ArgumentNullException.ThrowIfNull(info);
        var lines = new List<string> { "stateDiagram-v2" };
        if (!string.IsNullOrEmpty(direction))
        {
            lines.Add("    direction " + direction);
        }

        var ids = GraphText.Identifiers(info);
        foreach (var state in info.States.Where(s => ids[s.UnderlyingState] != s.Name))
        {
            lines.Add($"    state \"{Escape(state.Name.Replace("\"", "'", StringComparison.Ordinal))}\" as {ids[state.UnderlyingState]}");
        }

        foreach (var state in info.States)
        {
            lines.AddRange(GraphText.Activities(state).Select(a => $"    {ids[state.UnderlyingState]} : {Escape(a)}"));
        }

        lines.AddRange(info.InitialStates.Select(s => $"    [*] --> {ids[s]}"));
        foreach (var transition in info.States.SelectMany(s => s.FixedTransitions.Concat(s.ReentryTransitions)))
        {
            lines.Add($"    {ids[transition.Source]} --> {ids[transition.Destination]} : {Escape(GraphText.Label(transition))}");
        }

        return string.Concat(lines.Select(l => l + "\n"));
    }

    /// <summary>Mermaid treats '#' as an entity start and ';' as a statement end; encode both.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '#' => builder.Append("#35;"),
                ';' => builder.Append("#59;"),
                '\r' or '\n' => builder.Append(' '),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}

/// <summary>
/// Exports a <see cref="StateMachineInfo"/> as a Graphviz DOT digraph (the format Stateless's <c>UmlDotGraph</c>
/// produces), for tools that render DOT. Deterministic like <see cref="MermaidGraph"/>.
/// </summary>
public static class UmlDotGraph
{
    /// <summary>Formats <paramref name="info"/> as DOT text: one node per state, one edge per fixed or reentry transition.</summary>
    /// <param name="info">The machine description.</param>
    /// <returns>The DOT text.</returns>
    public static string Format(StateMachineInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var lines = new List<string>
        {
            "digraph {",
            "    rankdir=\"LR\";",
            "    node [shape=box, style=rounded];",
        };

        foreach (var state in info.States)
        {
            var label = string.Join("\\n", new[] { state.Name }.Concat(GraphText.Activities(state)).Select(Escape));
            lines.Add($"    {Quote(state.Name)} [label=\"{label}\"];");
        }

        for (var i = 0; i < info.InitialStates.Count; i++)
        {
            var initialName = info.States.First(s => Equals(s.UnderlyingState, info.InitialStates[i])).Name;
            lines.Add($"    \"__initial{i}\" [label=\"\", shape=point];");
            lines.Add($"    \"__initial{i}\" -> {Quote(initialName)};");
        }

        foreach (var transition in info.States.SelectMany(s => s.FixedTransitions.Concat(s.ReentryTransitions)))
        {
            lines.Add(
                $"    {Quote(transition.Source.ToString())} -> {Quote(transition.Destination.ToString())} " +
                $"[label=\"{Escape(GraphText.Label(transition))}\"];");
        }

        lines.Add("}");
        return string.Concat(lines.Select(l => l + "\n"));
    }

    private static string Quote(string? id) => "\"" + Escape(id ?? string.Empty) + "\"";

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", string.Empty, StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
}

/// <summary>Text shared by the exporters so both diagrams say the same thing.</summary>
internal static class GraphText
{
    /// <summary><c>Trigger</c> or <c>Trigger [g1 &amp;&amp; g2]</c>.</summary>
    public static string Label(TransitionInfo transition) => WithGuards(transition.Trigger, transition.GuardDescriptions);

    /// <summary>UML-style activities shown inside a state: <c>entry / x</c>, <c>exit / y</c>, <c>Trigger [g] / z</c>.</summary>
    public static IEnumerable<string> Activities(StateInfo state) =>
        state.EntryActions.Select(a => a.FromTrigger is null ? $"entry / {a.Description}" : $"entry from {a.FromTrigger} / {a.Description}")
            .Concat(state.ExitActions.Select(a => $"exit / {a.Description}"))
            .Concat(state.InternalTransitions.Select(t => $"{WithGuards(t.Trigger, t.GuardDescriptions)} / {t.ActionDescription}"));

    /// <summary>Mermaid ids must be identifiers; states whose names are not get a stable positional id and an alias.</summary>
    public static Dictionary<object, string> Identifiers(StateMachineInfo info)
    {
        var ids = new Dictionary<object, string>();
        for (var i = 0; i < info.States.Count; i++)
        {
            var name = info.States[i].Name;
            var isIdentifier = name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
            ids[info.States[i].UnderlyingState] = isIdentifier ? name : $"state{i}";
        }

        return ids;
    }

    private static string WithGuards(object trigger, IReadOnlyList<string> guards) =>
        guards.Count == 0 ? $"{trigger}" : $"{trigger} [{string.Join(" && ", guards)}]";
}
