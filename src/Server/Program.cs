using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;

// `MhaRights.Server migrate` applies database migrations for the configured provider and exits (the only way
// SQL Server's schema changes); without arguments the server runs.
var migrateOnly = args.Length > 0 && args[0] == "migrate";
WebApplication app;
try
{
    var builder = ServerApp.CreateBuilder(migrateOnly ? args[1..] : args, contentRoot: AppContext.BaseDirectory);
    app = ServerApp.Build(builder);

    if (migrateOnly)
    {
        await app.Services.MigrateAsync();
        await app.Services.EnsureBootstrapAdminKeyAsync();
        Console.Error.WriteLine("Database migrated.");
        return 0;
    }

    await ServerApp.PrepareAsync(app);
    await app.StartAsync();
}
catch (InvalidOperationException ex)
{
    // A refused configuration (e.g. cleartext on a non-loopback address): say why and exit non-zero, rather than
    // an unhandled exception aborting the process (SIGABRT, exit 134) with the reason buried in a stack trace.
    Console.Error.WriteLine($"MhaRights.Server: not started: {ex.Message}");
    return ServerApp.ExitConfigurationRefused;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;

/// <summary>Entry point type, visible to the tests' host.</summary>
public partial class Program;
