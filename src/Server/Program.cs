using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;

// `MhaRights.Server migrate` applies database migrations for the configured provider and exits (the only way
// SQL Server's schema changes); without arguments the server runs.
var migrateOnly = args.Length > 0 && args[0] == "migrate";
var builder = ServerApp.CreateBuilder(migrateOnly ? args[1..] : args, contentRoot: AppContext.BaseDirectory);
var app = ServerApp.Build(builder);

if (migrateOnly)
{
    await app.Services.MigrateAsync();
    await app.Services.EnsureBootstrapAdminKeyAsync();
    Console.Error.WriteLine("Database migrated.");
    return 0;
}

await ServerApp.PrepareAsync(app);
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to the tests' host.</summary>
public partial class Program;
