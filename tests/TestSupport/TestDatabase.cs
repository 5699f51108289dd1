using MhaRights.Server.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MhaRights.Server.Tests.Infrastructure;

/// <summary>
/// Which database the integration tests run on. SQLite (a file per test) unless
/// <c>MHARIGHTS_TEST_PROVIDER=PostgreSql</c>, when <c>MHARIGHTS_TEST_POSTGRES</c> names a throwaway cluster (a
/// connection string for a role that may create databases; .ci/run starts one) and every test gets a fresh
/// database created from a migrated template in one statement.
/// </summary>
public static class TestDatabase
{
    public const string ProviderVariable = "MHARIGHTS_TEST_PROVIDER";

    public const string PostgresVariable = "MHARIGHTS_TEST_POSTGRES";

    public static DatabaseProvider Provider { get; } = ReadProvider();

    public static bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>The maintenance connection (database "postgres" unless the variable names another).</summary>
    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ProviderVariable}=PostgreSql needs {PostgresVariable} (a connection string to a throwaway cluster).");

    /// <summary>The server switches that point it at <paramref name="connectionString"/> on the active provider.</summary>
    public static string[] ServerArguments(string connectionString) =>
    [
        $"--Database:Provider={Provider}",
        $"--Database:ConnectionString={connectionString}",
    ];

    /// <summary>A connection string for a new, empty PostgreSQL database (or one copied from <paramref name="template"/>).</summary>
    public static async Task<string> CreatePostgresDatabaseAsync(string prefix, string? template = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // WAL_LOG (PostgreSQL 15's default) copies the small template block by block, without a checkpoint.
            command.CommandText = template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{DatabaseName(template)}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a test database, ending any connection still open on it.</summary>
    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{DatabaseName(connectionString)}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Opens a connection of the active provider (for raw SQL that proves what was or was not written).</summary>
    public static async Task<System.Data.Common.DbConnection> OpenAsync(string connectionString)
    {
        System.Data.Common.DbConnection connection = IsPostgreSql ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string DatabaseName(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Database ?? throw new InvalidOperationException("No database in the connection string.");

    private static DatabaseProvider ReadProvider()
    {
        var value = Environment.GetEnvironmentVariable(ProviderVariable);
        if (string.IsNullOrEmpty(value))
        {
            return DatabaseProvider.Sqlite;
        }

        var provider = Enum.Parse<DatabaseProvider>(value, ignoreCase: true);
        return provider is DatabaseProvider.Sqlite or DatabaseProvider.PostgreSql
            ? provider
            : throw new InvalidOperationException($"{ProviderVariable} must be Sqlite or PostgreSql (SQL Server has its own suite), not '{value}'.");
    }
}
