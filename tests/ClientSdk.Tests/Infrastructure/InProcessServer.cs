using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server;
using MhaRights.Contracts.V1;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MhaRights.Client.Tests.Infrastructure;

/// <summary>
/// The real MhaRights server (the composition root Program.cs uses) on TestServer's in-memory transport, with its
/// own SQLite file copied from a migrated template, a fake server clock and a <see cref="ServerProbe"/>. Clients
/// are the SDK's own, given TestServer's handler through <see cref="MhaRightsClientOptions.HttpHandler"/>.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    /// <summary>Roles of the access policy (see docs/security.md).</summary>
    public const string EprIntegration = "epr-integration";

    /// <summary>The MHA office role: records, corrects, reads worklists and the audit trail.</summary>
    public const string MhaOffice = "mha-office";

    /// <summary>The administrator role: API keys.</summary>
    public const string Admin = "admin";

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly List<IDisposable> _clients = [];

    private InProcessServer(WebApplication app, string directory, FakeTimeProvider clock, string adminKey)
    {
        _app = app;
        _directory = directory;
        Clock = clock;
        AdminKey = adminKey;
        Probe = app.Services.GetRequiredService<ServerProbe>();
    }

    /// <summary>The server's clock (starts at the real current time; tests may advance it).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>What the server received, and fault injection.</summary>
    public ServerProbe Probe { get; }

    /// <summary>The bootstrap administrator key the server created on first start.</summary>
    public string AdminKey { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A new handler onto the in-memory server, for clients built outside <see cref="CreateClient"/>.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public static async Task<InProcessServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mharights-sdk-test-").FullName;
        var databasePath = Path.Combine(directory, "mharights.db");
        File.Copy(await Template.Value, databasePath);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = ServerApp.CreateBuilder(Settings(databasePath, directory), b =>
        {
            b.WebHost.UseTestServer();
            b.Services.AddSingleton<TimeProvider>(clock);
            b.Services.AddSingleton<ServerProbe>();
            b.Services.AddSingleton<ServerProbeInterceptor>();
            b.Services.AddSingleton<SlowWorkInterceptor>();
            b.Services.Configure<GrpcServiceOptions>(o =>
            {
                // The recorder goes first (outermost), the slow work last (innermost, where handlers run).
                o.Interceptors.Add<ServerProbeInterceptor>();
                var recorder = o.Interceptors[^1];
                o.Interceptors.RemoveAt(o.Interceptors.Count - 1);
                o.Interceptors.Insert(0, recorder);
                o.Interceptors.Add<SlowWorkInterceptor>();
            });
        });
        var app = ServerApp.Build(builder);
        await ServerApp.PrepareAsync(app);
        await app.StartAsync();
        var adminKey = (await File.ReadAllTextAsync(Path.Combine(directory, MhaRights.Server.Security.BootstrapAdminKey.FileName))).Trim();
        return new InProcessServer(app, directory, clock, adminKey);
    }

    /// <summary>
    /// An SDK client onto this server with quick retries (10 ms base delay) so tests do not wait; dispose is handled
    /// by the server.
    /// </summary>
    public MhaRightsClient CreateClient(MhaRightsCredential? credential, Action<MhaRightsClientOptions>? configure = null)
    {
        var options = new MhaRightsClientOptions
        {
            Address = new Uri("http://localhost"),
            Credential = credential,
            HttpHandler = CreateHandler(),
        };
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        configure?.Invoke(options);
        var client = new MhaRightsClient(options);
        _clients.Add(client);
        _clients.Add(options.HttpHandler!);
        return client;
    }

    /// <summary>A client authenticated with a new API key for <paramref name="role"/>.</summary>
    public async Task<MhaRightsClient> CreateClientAsync(string role = MhaOffice, Action<MhaRightsClientOptions>? configure = null) =>
        CreateClient(MhaRightsCredential.FromApiKey(await CreateApiKeyAsync(role)), configure);

    /// <summary>Creates an API key through the SDK with the bootstrap admin key, and returns its secret.</summary>
    public async Task<string> CreateApiKeyAsync(string role)
    {
        var admin = CreateClient(MhaRightsCredential.FromApiKey(AdminKey));
        var created = await admin.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            ApiKey = new ApiKey
            {
                DisplayName = $"SDK tests ({role})",
                Role = role,
                TrustWide = true,
                ExpireTime = Timestamp.FromDateTimeOffset(Clock.GetUtcNow().AddDays(30)),
            },
        });
        return created.Secret;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open after a slow shutdown: the OS temp cleaner gets it.
        }
    }

    private static string[] Settings(string databasePath, string directory) =>
    [
        $"--Database:ConnectionString=Data Source={databasePath};Pooling=True",
        $"--Database:DataDirectory={directory}",
        "--Sweeper:Enabled=false",
        "--Server:Url=",
        "--Logging:LogLevel:Default=Warning",
    ];

    private static async Task<string> CreateTemplateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mharights-sdk-template-").FullName;
        var path = Path.Combine(directory, "template.db");
        var builder = ServerApp.CreateBuilder(Settings(path, directory), b => b.WebHost.UseTestServer());
        await using var app = ServerApp.Build(builder);
        await app.Services.InitializeDatabaseAsync();
        // Fold the WAL into the main file so that a plain copy carries the whole schema.
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
}
