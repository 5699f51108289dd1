using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace MhaRights.Server.Persistence;

/// <summary>Registers the configured provider and prepares the database.</summary>
public static class PersistenceSetup
{
    public static IServiceCollection AddMhaRightsPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connectionString = SqliteConnectionString(options);
                // Pooled: creating a context and its services per request was ~35% of a status read's server CPU
                // (bench/RESULTS.md). The contexts hold no state of their own beyond what EF resets on return.
                services.AddDbContextPool<SqliteMhaRightsDbContext>(o => o
                    .UseSqlite(connectionString, CollectionsAsOneParameter)
                    .AddInterceptors(new SqlitePragmaInterceptor(options.SqliteSynchronous)));
                services.AddScoped<MhaRightsDbContext>(sp => sp.GetRequiredService<SqliteMhaRightsDbContext>());
                services.AddSingleton(sp => new SqliteGroupCommit(connectionString, options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteGroupCommit>>(), sp.GetService<Telemetry.MhaRightsMetrics>()));
                services.AddSingleton(sp => new WriteGate(sp.GetRequiredService<SqliteGroupCommit>()));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<SqlServerMhaRightsDbContext>(o => o.UseSqlServer(ServerConnectionString(options), CollectionsAsOneParameter));
                services.AddScoped<MhaRightsDbContext>(sp => sp.GetRequiredService<SqlServerMhaRightsDbContext>());
                services.AddSingleton(new WriteGate(null));
                break;
            case DatabaseProvider.PostgreSql:
                // No write gate: concurrent writers are handled by the database (row versions, unique keys and the
                // audit-tail advisory lock; docs/databases.md).
                services.AddDbContextPool<PostgreSqlMhaRightsDbContext>(o => o.UseNpgsql(PostgreSqlConnectionString(options), CollectionsAsOneParameter));
                services.AddScoped<MhaRightsDbContext>(sp => sp.GetRequiredService<PostgreSqlMhaRightsDbContext>());
                services.AddSingleton(new WriteGate(null));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        services.AddScoped<UnitOfWork>();
        services.AddSingleton<CommitSignal>();
        return services;
    }

    /// <summary>
    /// A list in a query (<c>ids.Contains(x.Id)</c>) goes to the database as one parameter (SQLite json_each, SQL Server
    /// OPENJSON, a PostgreSQL array), as before EF Core 10. EF Core 10's default, one parameter per element, makes the
    /// SQL depend on the list's length, so EF generates it again on every execution, compiled queries included: that was
    /// 2.8% of an explanation attempt's server CPU (its communication-needs read of one patient) in a profile.
    /// </summary>
    private static void CollectionsAsOneParameter<TBuilder, TExtension>(RelationalDbContextOptionsBuilder<TBuilder, TExtension> provider)
        where TBuilder : RelationalDbContextOptionsBuilder<TBuilder, TExtension>
        where TExtension : RelationalOptionsExtension, new() =>
        provider.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter);

    private static string ServerConnectionString(DatabaseOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException($"Database:ConnectionString is required when Database:Provider is {options.Provider}.")
            : options.ConnectionString;

    /// <summary>
    /// The PostgreSQL connection string with Npgsql's automatic preparation on unless the operator set it: the service
    /// repeats the same few statements, and re-planning GetRightsStatus's joined query on every call cost more than
    /// running it (bench/RESULTS-postgres.md). Npgsql drops a prepared statement a schema change invalidates.
    /// </summary>
    public static string PostgreSqlConnectionString(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = ServerConnectionString(options);
        // Npgsql's builder reports every keyword it knows as present; the generic one lists only those given.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    public static string SqliteConnectionString(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Security.DataFolder.SecureSqliteFiles(options.ConnectionString);
            return options.ConnectionString;
        }

        // 0700 folder, 0600 files (Security/DataFolder.cs).
        var directory = Security.DataFolder.Ensure(options.DataDirectory);
        var connectionString = $"Data Source={Path.Combine(directory, "mharights.db")};Pooling=True";
        Security.DataFolder.SecureSqliteFiles(connectionString);
        return connectionString;
    }

    /// <summary>
    /// SQLite: migrate on start (zero set-up). SQL Server and PostgreSQL: never; migrations run by the explicit
    /// <c>migrate</c> command so a deployment never changes a production schema by surprise.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        if (options.Provider == DatabaseProvider.Sqlite && options.MigrateOnStart)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>Applies pending migrations for the configured provider (the <c>migrate</c> command).</summary>
    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
