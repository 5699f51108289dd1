using System.CommandLine;
using System.Globalization;
using MhaRights.Client;
using Spectre.Console;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Everything one run of the CLI works with: its streams, environment, terminal, clock and (in tests) the HTTP
/// handler onto the server. Commands get it through closures, so nothing reads <see cref="Console"/> or process
/// state directly and the whole CLI runs in-process in tests.
/// </summary>
internal sealed class CliContext(
    TextWriter stdout,
    TextWriter stderr,
    CliEnvironment environment,
    TerminalCapabilities terminal,
    TimeProvider clock,
    HttpMessageHandler? httpHandler) : IDisposable
{
    private readonly Dictionary<Command, string[]> _examples = [];
    private ConnectionSettings? _settings;
    private MhaRightsClient? _client;
    private OutputWriter? _output;

    public TextWriter Stdout => stdout;

    public TextWriter Stderr => stderr;

    public CliEnvironment Environment => environment;

    public TerminalCapabilities Terminal => terminal;

    public TimeProvider Clock => clock;

    public GlobalOptions Globals { get; } = new();

    public IReadOnlyDictionary<Command, string[]> Examples => _examples;

    /// <summary>Remembers a command's examples for its --help.</summary>
    public void AddExamples(Command command, params string[] examples) => _examples[command] = examples;

    /// <summary>The resolved address, credential and format (flag &gt; environment &gt; profile &gt; default).</summary>
    public ConnectionSettings Settings(ParseResult parseResult) =>
        _settings ??= ConnectionSettings.Resolve(Globals.Values(parseResult), environment);

    public OutputWriter Output(ParseResult parseResult) =>
        _output ??= new OutputWriter(stdout, Settings(parseResult).Output, CreateTableConsole);

    /// <summary>The client for this run, created on first use with the resolved settings.</summary>
    public MhaRightsClient Client(ParseResult parseResult)
    {
        if (_client is not null)
        {
            return _client;
        }

        var settings = Settings(parseResult);
        if (settings.ApiKey is null)
        {
            throw new CliException(
                ExitCodes.NotAllowed,
                "no API key: pass --api-key-file FILE, set MHARIGHTS_API_KEY or MHARIGHTS_API_KEY_FILE, or add a profile to " + (settings.ConfigPath ?? "the config file"));
        }

        var options = new MhaRightsClientOptions
        {
            Address = settings.Address,
            HttpHandler = httpHandler,
        };
        try
        {
            options.Credential = MhaRightsCredential.FromApiKey(settings.ApiKey);
        }
        catch (ArgumentException)
        {
            throw new CliException(ExitCodes.NotAllowed, $"the API key from {settings.ApiKeyOrigin} is malformed (it contains spaces or control characters)");
        }

        if (Globals.Values(parseResult).TimeoutSeconds is { } seconds)
        {
            options.DefaultDeadline = seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw CliException.Usage("--timeout must be a positive number of seconds");
        }

        if (environment.Get("MHARIGHTS_MAX_RETRIES") is { } retries)
        {
            options.Retry.MaxRetries = int.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 10
                ? n
                : throw CliException.Usage($"MHARIGHTS_MAX_RETRIES must be a number from 0 to 10, not '{retries}'");
        }

        try
        {
            _client = new MhaRightsClient(options);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }

        return _client;
    }

    /// <summary>
    /// A person can answer a prompt only when stdin and stdout are terminals and this is not CI (clig.dev; Spectre
    /// prompts otherwise throw or hang).
    /// </summary>
    public bool CanPrompt => terminal.StdinIsTerminal && terminal.StdoutIsTerminal && terminal.StderrIsTerminal && !environment.IsCi;

    /// <summary>
    /// Progress bars only for a person watching: stderr and stdout both terminals (stdout redirected usually means
    /// a job log that stderr goes to as well), not CI, not NO_COLOR, not TERM=dumb, not --no-progress.
    /// </summary>
    public bool ShowProgress(ParseResult parseResult) => ProgressPolicy.ShouldShow(terminal, environment, Globals.Values(parseResult).NoProgress);

    /// <summary>Asks a yes/no question on the terminal, or demands --yes when nobody can answer.</summary>
    public bool Confirm(string question, bool yes, string flagHint = "--yes")
    {
        if (yes)
        {
            return true;
        }

        if (!CanPrompt)
        {
            throw CliException.Usage($"{question} Not asking because this is not an interactive terminal; add {flagHint} to confirm");
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr),
            Ansi = environment.NoColor ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = environment.NoColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        return console.Prompt(new ConfirmationPrompt(Markup.Escape(question)) { DefaultValue = false });
    }

    public void Dispose() => _client?.Dispose();

    /// <summary>
    /// Spectre console for a human table bound for stdout (written to <paramref name="target"/> first): no colour or
    /// ANSI unless stdout is a terminal and NO_COLOR is unset.
    /// </summary>
    private IAnsiConsole CreateTableConsole(TextWriter target)
    {
        var colour = terminal.StdoutIsTerminal && !environment.NoColor;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(target),
            Ansi = colour ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // Redirected tables are read in editors and logs: do not squash them to the default 80 columns.
        // A terminal of unknown width is taken as the classic 80 columns.
        console.Profile.Width = terminal.StdoutIsTerminal ? terminal.Width ?? 80 : 1000;
        return console;
    }
}

/// <summary>The one rule for showing a progress bar, kept separate so it is tested on its own.</summary>
internal static class ProgressPolicy
{
    public static bool ShouldShow(TerminalCapabilities terminal, CliEnvironment environment, bool noProgressFlag) =>
        !noProgressFlag
        && terminal.StderrIsTerminal
        && terminal.StdoutIsTerminal
        && !environment.NoColor
        && !environment.IsCi
        && !string.Equals(environment.Get("TERM"), "dumb", StringComparison.Ordinal);
}
