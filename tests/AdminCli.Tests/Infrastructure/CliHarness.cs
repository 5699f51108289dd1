using System.Text.Json.Nodes;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests.Infrastructure;

/// <summary>What one CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout parsed as the one JSON document it must be.</summary>
    public JsonNode Json() => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("stdout was the JSON literal null");

    public JsonArray JsonArray() => Json().AsArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs <c>mharights</c> in-process against the in-process server, as a given role, with a clean environment
/// (its own HOME, so a developer's real config file never leaks in) and the server's fake clock.
/// </summary>
internal sealed class CliHarness : IAsyncDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("mharights-cli-home-").FullName;

    private readonly TestApp? _template;
    private readonly string? _bulkDirectory;

    private CliHarness(TestApp app, TestApp? template = null, string? bulkDirectory = null)
    {
        App = app;
        _template = template;
        _bulkDirectory = bulkDirectory;
    }

    public TestApp App { get; }

    public string Home => _home;

    public static async Task<CliHarness> StartAsync(DateTimeOffset? now = null) => new(await TestApp.StartAsync(now));

    /// <summary>
    /// A server configured for bulk writes as a deployment is: pooled SQLite connections and synchronous=NORMAL.
    /// TestApp turns pooling off so each test's files can be deleted at once, but then every write opens,
    /// checkpoints and closes the database (several fsyncs per call), which makes a 10,000-row import measure the
    /// disk rather than the CLI. The first TestApp supplies a migrated database with the test keys; a copy of it is
    /// served by a second TestApp with the deployment settings.
    /// </summary>
    public static async Task<CliHarness> StartForBulkAsync(DateTimeOffset? now = null)
    {
        if (TestDatabase.IsPostgreSql)
        {
            // PostgreSQL test databases are already pooled and durable at commit: the deployment settings below are SQLite's.
            return new CliHarness(await TestApp.StartAsync(now));
        }

        var template = await TestApp.StartAsync(now);
        var directory = Directory.CreateTempSubdirectory("mharights-bulk-").FullName;
        var copy = Path.Combine(directory, "mharights.db");
        File.Copy(template.DatabasePath, copy);
        var app = await TestApp.StartAsync(now, $"--Database:ConnectionString=Data Source={copy};Pooling=True", "--Database:SqliteSynchronous=NORMAL");
        return new CliHarness(app, template, directory);
    }

    /// <summary>Environment for a run as <paramref name="role"/> (null: no credential at all).</summary>
    public Dictionary<string, string?> Environment(string? role = Roles.MhaOffice)
    {
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["MHARIGHTS_ADDRESS"] = "http://localhost",
            // Transport failures in tests must fail fast, not after the client's back-off.
            ["MHARIGHTS_MAX_RETRIES"] = "0",
        };
        if (role is not null)
        {
            env["MHARIGHTS_API_KEY"] = TestApp.KeyFor(role);
        }

        return env;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsAsync(Roles.MhaOffice, args);

    public Task<CliResult> RunAsAsync(string? role, params string[] args) => RunWithAsync(Environment(role), TerminalCapabilities.None, args);

    public async Task<CliResult> RunWithAsync(IReadOnlyDictionary<string, string?> environment, TerminalCapabilities terminal, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApplication.RunAsync(args, stdout, stderr, environment, App.CreateHandler(), terminal, App.Clock);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A run with no server behind it (for "unavailable").</summary>
    public static async Task<CliResult> RunWithoutServerAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApplication.RunAsync(args, stdout, stderr, environment, httpHandler: null, TerminalCapabilities.None, TimeProvider.System);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_template is not null)
        {
            await _template.DisposeAsync();
        }

        foreach (var directory in new[] { _home, _bulkDirectory })
        {
            try
            {
                if (directory is not null)
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }
}

/// <summary>One in-process server per test class; tests use their own patients so they do not see each other.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private CliHarness? _cli;

    internal CliHarness Cli => _cli ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _cli = await CliHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cli is not null)
        {
            await _cli.DisposeAsync();
        }
    }
}
