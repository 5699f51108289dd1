using System.CommandLine;
using System.CommandLine.Help;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Core;
using MhaRights.AdminCli.Commands;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Client;

namespace MhaRights.AdminCli;

/// <summary>
/// The whole CLI as a function: arguments, streams, environment and terminal in, exit code out. Program.cs calls it
/// with the real console; tests call it with string writers and a handler onto an in-process server.
/// </summary>
internal static partial class CliApplication
{
    /// <summary>Runs one command line and returns the documented exit code.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Where data goes.</param>
    /// <param name="stderr">Where messages, progress and errors go.</param>
    /// <param name="environment">Environment variables (MHARIGHTS_*, NO_COLOR, CI, HOME, XDG_CONFIG_HOME...).</param>
    /// <param name="httpHandler">Carries the calls to the server (tests: the in-process server); null for the network.</param>
    /// <param name="terminal">Which streams are terminals; null means none (a script).</param>
    /// <param name="clock">The clock used for "now" and defaults; null for the system clock.</param>
    /// <param name="cancellationToken">Ctrl-C.</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?> environment,
        HttpMessageHandler? httpHandler = null,
        TerminalCapabilities? terminal = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var context = new CliContext(stdout, stderr, new CliEnvironment(environment), terminal ?? TerminalCapabilities.None, clock ?? TimeProvider.System, httpHandler);
        var root = BuildRootCommand(context);
        var parseResult = root.Parse(args);
        try
        {
            if (parseResult.Errors.Count > 0 && parseResult.Action is not ExamplesHelpAction)
            {
                var command = string.Join(' ', CommandPath(parseResult.CommandResult.Command));
                WriteError(stderr, $"{string.Join("; ", parseResult.Errors.Select(e => e.Message.TrimEnd('.')))}{DidYouMean(parseResult)} (see '{command} --help')");
                return ExitCodes.Usage;
            }

            return await parseResult.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = stdout,
                    Error = stderr,
                    EnableDefaultExceptionHandler = false,
                    // Ctrl-C is the host's (Program.cs passes a token); tests must not install signal handlers.
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        catch (CliException ex)
        {
            WriteError(stderr, ex.Message);
            return ex.ExitCode;
        }
        catch (MhaRightsException ex)
        {
            WriteError(stderr, Describe(ex, context, parseResult));
            return ExitCodes.FromStatus(ex.StatusCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteError(stderr, "interrupted");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file the command reads or writes (import file, --file, --errors).
            WriteError(stderr, ex.Message);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The last resort: one line and exit 1 rather than a stack trace in the office's terminal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WriteError(stderr, $"unexpected {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await stdout.FlushAsync(CancellationToken.None);
            await stderr.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Synchronous convenience for callers without an async context.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> environment, HttpMessageHandler? httpHandler = null, TerminalCapabilities? terminal = null, TimeProvider? clock = null) =>
        RunAsync(args, stdout, stderr, environment, httpHandler, terminal, clock).GetAwaiter().GetResult();

    internal static RootCommand BuildRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "mharights - the MHA office's command line for the MhaRights service: s132 rights worklists, recording, " +
            "legal status, reasonable adjustments, imports, audit and API keys.\n" +
            "Data goes to stdout (-o table|json|csv), messages to stderr. Exit codes: 0 ok, 1 other failure, 2 usage or " +
            "invalid value, 3 not found, 4 not authenticated or not allowed, 5 conflict or state does not allow it, " +
            "6 server unavailable or too slow.");
        foreach (var option in context.Globals.All)
        {
            root.Options.Add(option);
        }

        Command[] groups =
        [
            RightsCommands.Build(context),
            NoticeCommands.BuildWorklists(context),
            NoticeCommands.BuildRecording(context),
            PatientCommands.Build(context),
            AttemptCommands.Build(context),
            StatusCommands.Build(context),
            AdjustmentCommands.Build(context),
            ImportCommand.Build(context),
            AuditCommands.Build(context),
            KeyCommands.Build(context),
            WorkflowCommands.Build(context),
            ReportCommands.Build(context),
            ConfigCommands.Build(context),
        ];
        foreach (var group in groups)
        {
            root.Subcommands.Add(group);
        }

        context.AddExamples(
            root,
            "mharights rights due --hospital RXM01 --ward ASH",
            "mharights patient show RIO-000123",
            "mharights import detentions.csv --dry-run",
            "MHARIGHTS_API_KEY_FILE=~/.mharights.key mharights notices nr-copies -o csv > copies.csv");

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, context.Examples);
        root.Options.OfType<VersionOption>().Single().Action = new ToolVersionAction();
        return root;
    }

    /// <summary>One line: the status, the server's reason and message, the invalid fields, and what to check.</summary>
    internal static string Describe(MhaRightsException exception, CliContext context, ParseResult parseResult)
    {
        var text = new StringBuilder();
        var code = UpperSnake(exception.StatusCode.ToString());
        text.Append(code);
        if (exception.Reason is { } reason && reason != code)
        {
            text.Append(" (").Append(reason).Append(')');
        }

        // A clerk's sentence when the reason is known; the server's description otherwise.
        var detail = ClerkMessages.For(exception) ?? exception.RpcStatus?.Message;
        if (string.IsNullOrEmpty(detail))
        {
            detail = (exception.InnerException as RpcException)?.Status.Detail;
        }

        if (!string.IsNullOrWhiteSpace(detail))
        {
            text.Append(": ").Append(detail);
        }

        if (exception.FieldViolations.Count > 0)
        {
            text.Append(" [").AppendJoin("; ", exception.FieldViolations.Select(v => $"{v.Field}: {v.Description}")).Append(']');
        }

        string? hint = exception.StatusCode switch
        {
            StatusCode.Unauthenticated => "check the API key (--api-key-file, MHARIGHTS_API_KEY) is current",
            StatusCode.PermissionDenied => "the API key's role may not do this (see docs/security.md)",
            StatusCode.Unavailable => $"is the server running at {SafeAddress(context, parseResult)}?",
            StatusCode.DeadlineExceeded => "the server did not answer in time; a write may still have been applied, so check before repeating it",
            _ => null,
        };
        if (hint is not null)
        {
            text.Append(" - ").Append(hint);
        }

        return text.ToString();
    }

    /// <summary>" - did you mean `rights`?" for the first unknown word that is close to a real one; empty otherwise.</summary>
    private static string DidYouMean(ParseResult parseResult)
    {
        foreach (var token in parseResult.UnmatchedTokens)
        {
            var names = TypoSuggestions.For(token, parseResult.CommandResult.Command);
            if (names.Count > 0)
            {
                return $" - did you mean {string.Join(" or ", names.Select(n => $"`{n}`"))}?";
            }
        }

        return string.Empty;
    }

    private static string SafeAddress(CliContext context, ParseResult parseResult)
    {
        try
        {
            return context.Settings(parseResult).Address.ToString();
        }
        catch (CliException)
        {
            return "the configured address";
        }
    }

    /// <summary>Every error is one line, so logs and scripts can grep it.</summary>
    private static void WriteError(TextWriter stderr, string message) =>
        stderr.WriteLine("error: " + Whitespace().Replace(message, " ").Trim());

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is not null; symbol = symbol.Parents.FirstOrDefault())
        {
            names.Push(symbol is RootCommand ? "mharights" : symbol.Name);
        }

        return names;
    }

    private static string UpperSnake(string pascal) => UpperBoundary().Replace(pascal, "$1_$2").ToUpperInvariant();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex UpperBoundary();
}
