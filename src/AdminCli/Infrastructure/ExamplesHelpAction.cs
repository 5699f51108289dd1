using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// The standard help, followed by the command's examples: System.CommandLine 2.0 has no examples section, and
/// clig.dev asks for examples on every command.
/// </summary>
internal sealed class ExamplesHelpAction(HelpAction inner, IReadOnlyDictionary<Command, string[]> examples) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var result = inner.Invoke(parseResult);
        if (examples.TryGetValue(parseResult.CommandResult.Command, out var lines) && lines.Length > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in lines)
            {
                output.WriteLine("  " + line);
            }

            output.WriteLine();
        }

        return result;
    }
}

/// <summary>
/// Prints this tool's version (System.CommandLine's default reads the entry assembly, which is the test host when
/// the CLI runs in-process).
/// </summary>
internal sealed class ToolVersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var assembly = typeof(ToolVersionAction).Assembly;
        var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        parseResult.InvocationConfiguration.Output.WriteLine(version);
        return ExitCodes.Ok;
    }
}
