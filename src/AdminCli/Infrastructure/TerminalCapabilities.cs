namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Which standard streams are attached to a terminal. Injected (rather than read from <see cref="Console"/>) so
/// that tests can run the CLI as if in a terminal, and so one place decides about prompts, colour and progress.
/// </summary>
/// <param name="StdinIsTerminal">Standard input is a terminal (a person could answer a prompt).</param>
/// <param name="StdoutIsTerminal">Standard output is a terminal (not a pipe or a file).</param>
/// <param name="StderrIsTerminal">Standard error is a terminal.</param>
/// <param name="Width">Terminal width in columns, when known.</param>
internal sealed record TerminalCapabilities(bool StdinIsTerminal, bool StdoutIsTerminal, bool StderrIsTerminal, int? Width = null)
{
    /// <summary>No terminal at all: a script, a pipe or a test.</summary>
    public static TerminalCapabilities None { get; } = new(false, false, false);

    /// <summary>Everything is a terminal: a person at an interactive shell.</summary>
    public static TerminalCapabilities Interactive { get; } = new(true, true, true, 120);

    /// <summary>Reads the real console's redirection state.</summary>
    public static TerminalCapabilities Detect()
    {
        int? width = null;
        if (!Console.IsOutputRedirected || !Console.IsErrorRedirected)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : null;
            }
            catch (IOException)
            {
                // No window (for example a pseudo-terminal without a size): use the renderer's default.
            }
        }

        return new TerminalCapabilities(!Console.IsInputRedirected, !Console.IsOutputRedirected, !Console.IsErrorRedirected, width);
    }
}

/// <summary>The process environment as the CLI sees it (a dictionary, so tests pass their own).</summary>
internal sealed class CliEnvironment(IReadOnlyDictionary<string, string?> variables)
{
    public IReadOnlyDictionary<string, string?> Variables => variables;

    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return new CliEnvironment(variables);
    }

    /// <summary>The value, or null when unset or empty (an empty variable counts as unset, as NO_COLOR's spec says).</summary>
    public string? Get(string name) => variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>True when set to something other than false/0/no (CI=true, CI=1...).</summary>
    public bool IsTrue(string name) =>
        Get(name) is { } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0" && !value.Equals("no", StringComparison.OrdinalIgnoreCase);

    /// <summary>NO_COLOR (https://no-color.org): present and not empty.</summary>
    public bool NoColor => Get("NO_COLOR") is not null;

    /// <summary>Running under continuous integration: never animate, never prompt.</summary>
    public bool IsCi => IsTrue("CI");
}
