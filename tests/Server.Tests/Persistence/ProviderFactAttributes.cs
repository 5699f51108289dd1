using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Persistence;

// Tests of one provider's own machinery. The integration suite runs once per provider (TestDatabase); these run
// only in the run of their provider and are skipped, with the reason printed, in the other.

/// <summary>A SQLite-only test (group commit, pragmas, the file-level scan): skipped in the PostgreSQL run.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute() => Skip = ProviderSkip.UnlessSqlite();
}

/// <inheritdoc cref="SqliteFactAttribute"/>
public sealed class SqliteTheoryAttribute : TheoryAttribute
{
    public SqliteTheoryAttribute() => Skip = ProviderSkip.UnlessSqlite();
}

/// <summary>A test of the server-database path (no write gate, several writers): runs only in the PostgreSQL run.</summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute() => Skip = TestDatabase.IsPostgreSql
        ? null
        : $"PostgreSQL only: set {TestDatabase.ProviderVariable}=PostgreSql and {TestDatabase.PostgresVariable} (.ci/run does) to run it.";
}

internal static class ProviderSkip
{
    public static string? UnlessSqlite() => TestDatabase.IsPostgreSql
        ? $"SQLite only: this run uses PostgreSQL ({TestDatabase.ProviderVariable}); the SQLite run covers it."
        : null;
}
