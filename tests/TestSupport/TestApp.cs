using Grpc.Net.Client;
using MhaRights.Contracts.V1;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using MhaRights.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MhaRights.Server.Tests.Infrastructure;

/// <summary>
/// The real server (same composition root as Program.cs) on an in-memory test transport, with its own database
/// and a fake clock. Every test gets a fresh database copied from a migrated template, so tests are independent
/// and still run real migrations: a SQLite file, or a PostgreSQL database when <see cref="TestDatabase"/> says so.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    /// <summary>A Sunday in GMT, before the 29 March 2026 clock change.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The audit chain key of every test database (the template's events are chained with it).</summary>
    public const string ChainKey = "bWhhcmlnaHRzLXRlc3QtYXVkaXQtY2hhaW4ta2V5LTMyYnl0ZXMhIQ==";

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    /// <summary>One API key per role, created in the template database (so every test database has them).</summary>
    private static readonly Dictionary<string, string> KeysByRole = [];

    private readonly WebApplication _app;
    private readonly string _directory;

    private readonly bool _ownsDatabase;

    private TestApp(WebApplication app, string directory, string connectionString, bool ownsDatabase, FakeTimeProvider clock, GrpcChannel channel)
    {
        _app = app;
        _directory = directory;
        ConnectionString = connectionString;
        _ownsDatabase = ownsDatabase;
        Clock = clock;
        Channel = channel;
        Patients = new PatientService.PatientServiceClient(channel);
        LegalStatus = new LegalStatusService.LegalStatusServiceClient(channel);
        Rights = new RightsService.RightsServiceClient(channel);
        // The audit trail is read by auditors (Security/AccessPolicy.cs).
        Audit = new AuditService.AuditServiceClient(CreateChannel(app, Roles.Auditor));
        Workflows = new WorkflowService.WorkflowServiceClient(channel);
    }

    public FakeTimeProvider Clock { get; }

    public GrpcChannel Channel { get; }

    public PatientService.PatientServiceClient Patients { get; }

    public LegalStatusService.LegalStatusServiceClient LegalStatus { get; }

    public RightsService.RightsServiceClient Rights { get; }

    public AuditService.AuditServiceClient Audit { get; }

    public WorkflowService.WorkflowServiceClient Workflows { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The test database's connection string, on the active provider (<see cref="TestDatabase"/>).</summary>
    public string ConnectionString { get; }

    /// <summary>The SQLite file (SQLite-only tests).</summary>
    public string DatabasePath => TestDatabase.IsPostgreSql
        ? throw new InvalidOperationException("DatabasePath is SQLite-only; this run uses PostgreSQL.")
        : new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    public static Task<TestApp> StartAsync(DateTimeOffset? now = null, params string[] settings) => StartCoreAsync(now, null, settings);

    /// <summary>As <see cref="StartAsync"/>, with extra registrations on the builder (e.g. an in-memory telemetry exporter).</summary>
    public static Task<TestApp> StartConfiguredAsync(Action<WebApplicationBuilder> configure, params string[] settings) => StartCoreAsync(null, null, settings, configure);

    /// <summary>A second server instance on another app's database (as two processes would share one).</summary>
    public static Task<TestApp> StartSecondInstanceAsync(TestApp first, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        return StartCoreAsync(now, first.ConnectionString, []);
    }

    private static async Task<TestApp> StartCoreAsync(DateTimeOffset? now, string? sharedDatabase, string[] settings, Action<WebApplicationBuilder>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("mharights-test-").FullName;
        var connectionString = sharedDatabase ?? await NewDatabaseAsync(directory);
        var clock = new FakeTimeProvider(now ?? DefaultStart);
        string[] args =
        [
            .. TestDatabase.ServerArguments(connectionString),
            $"--Database:DataDirectory={directory}",
            "--Sweeper:Enabled=false",
            "--Idempotency:SweepEnabled=false",
            // Tests share two cores with other test hosts: a write queued behind a 10,000-row import may wait longer
            // than the product's 5 s without anything being wrong. Tests of the timeout set their own.
            "--Database:WriteLockTimeout=00:00:30",
            "--Audit:ChainKey=" + ChainKey,
            "--Server:Url=",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var builder = ServerApp.CreateBuilder(args, b =>
        {
            b.WebHost.UseTestServer();
            b.Services.AddSingleton<TimeProvider>(clock);
            configure?.Invoke(b);
        });
        var app = ServerApp.Build(builder);
        await app.Services.InitializeDatabaseAsync();
        await app.StartAsync();
        var channel = CreateChannel(app, Roles.MhaOffice);
        return new TestApp(app, directory, connectionString, sharedDatabase is null, clock, channel);
    }

    /// <summary>A fresh copy of the migrated template: a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL.</summary>
    private static async Task<string> NewDatabaseAsync(string directory)
    {
        var template = await Template.Value;
        if (TestDatabase.IsPostgreSql)
        {
            return await TestDatabase.CreatePostgresDatabaseAsync("mharights_test", template);
        }

        var path = Path.Combine(directory, "mharights.db");
        File.Copy(template, path);
        return $"Data Source={path};Pooling=False";
    }

    /// <summary>A channel authenticated with the test API key of <paramref name="role"/>; null role = no credentials.</summary>
    public GrpcChannel ChannelFor(string? role) => CreateChannel(_app, role);

    /// <summary>A handler onto the in-memory server, for clients built elsewhere (the SDK, the CLI).</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    /// <summary>The raw API key minted for <paramref name="role"/> in the template database.</summary>
    public static string KeyFor(string role) => KeysByRole[role];

    private static GrpcChannel CreateChannel(WebApplication app, string? role, string? key = null)
    {
        var secret = key ?? (role is null ? null : KeysByRole[role]);
        HttpMessageHandler handler = app.GetTestServer().CreateHandler();
        if (secret is not null)
        {
            handler = new ApiKeyHandler(secret) { InnerHandler = handler };
        }

        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>A channel presenting an arbitrary authorization value (for malformed/unknown key tests).</summary>
    public GrpcChannel ChannelWithKey(string key) => CreateChannel(_app, null, key);

    /// <summary>Advances the fake clock and runs the deadline sweeper, as the background service would.</summary>
    public async Task<SweepResult> AdvanceAndSweepAsync(TimeSpan by)
    {
        Clock.Advance(by);
        return await Services.GetRequiredService<DeadlineSweeper>().SweepAsync();
    }

    /// <summary>Runs a raw SQL scalar against the test database (to prove what was or was not written).</summary>
    public async Task<long> CountAsync(string table) => Convert.ToInt64(await ExecuteScalarAsync($"SELECT COUNT(*) FROM \"{table}\""), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs raw SQL (quote identifiers with double quotes: both providers accept them) and returns the first value.</summary>
    public async Task<object?> ExecuteScalarAsync(string sql)
    {
        await using var connection = await TestDatabase.OpenAsync(ConnectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs a raw SQL statement (e.g. tampering behind the service's back) and returns the rows it changed.</summary>
    public async Task<int> ExecuteNonQueryAsync(string sql)
    {
        await using var connection = await TestDatabase.OpenAsync(ConnectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (TestDatabase.IsPostgreSql && _ownsDatabase)
        {
            await TestDatabase.DropPostgresDatabaseAsync(ConnectionString);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the OS temp cleaner will get it.
        }
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mharights-template-").FullName;
        var path = Path.Combine(directory, "template.db");
        // One template per test process (test projects run in parallel); on PostgreSQL it is dropped at exit.
        var connectionString = TestDatabase.IsPostgreSql
            ? await TestDatabase.CreatePostgresDatabaseAsync("mharights_template")
            : $"Data Source={path};Pooling=False";
        if (TestDatabase.IsPostgreSql)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TestDatabase.DropPostgresDatabaseAsync(connectionString).Wait(TimeSpan.FromSeconds(10));
        }

        var builder = ServerApp.CreateBuilder(
        [
            .. TestDatabase.ServerArguments(connectionString),
            $"--Database:DataDirectory={directory}",
            "--Audit:ChainKey=" + ChainKey,
            "--Sweeper:Enabled=false",
            "--Server:Url=",
            "--Logging:LogLevel:Default=Warning",
        ], b => b.WebHost.UseTestServer());
        await using var app = ServerApp.Build(builder);
        // What the `migrate` command does (server databases are never migrated on start).
        await app.Services.MigrateAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
            await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(_ =>
            {
                foreach (var role in Roles.All)
                {
                    KeysByRole[role] = store.Create($"test {role}", role, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc), CallerIdentity.System, CallerScope.TrustWideIdentifiable with { MayActForNamedUser = true }).Secret;
                }

                return Task.CompletedTask;
            }, CancellationToken.None);
        }

        if (TestDatabase.IsPostgreSql)
        {
            // CREATE DATABASE ... TEMPLATE refuses a template with open connections: close the pooled ones.
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            return connectionString;
        }

        // Fold the WAL into the main file so a plain file copy carries the whole schema.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        return path;
    }

    private sealed class ApiKeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("authorization", "ApiKey " + key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
