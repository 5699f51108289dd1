using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Read-only pooled SQLite connections, apart from EF Core's, for the reads that keep statements prepared per
/// physical connection (<see cref="SqlitePreparedStatements"/>: GetRightsStatus, ListDuties).
/// </summary>
/// <remarks>
/// EF Core gives every connection it creates its SQL functions (regexp, ef_mod, ef_compare...), and
/// Microsoft.Data.Sqlite registers them again on every open of a pooled connection. SQLite expires every statement
/// prepared on a connection when one of its functions is redefined, so a statement kept on a connection EF opens is
/// parsed and planned again by its next step: 36% of a status read's server CPU in a profile at 1,000,000 episodes
/// (bench/RESULTS.md). These connections carry no functions; <c>Mode=ReadOnly</c> keeps them from writing and also
/// makes them a pool of their own, so EF never opens (and expires) them.
/// </remarks>
internal static class SqliteReadConnections
{
    private static readonly ConcurrentDictionary<string, string> ReadOnlyStrings = new(StringComparer.Ordinal);

    // Physical connections already given their settings (the pool keeps them open across logical opens).
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = [];

    /// <summary>An open read-only connection to the database of <paramref name="connectionString"/>; dispose it to return it to the pool.</summary>
    public static SqliteConnection Open(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var connection = new SqliteConnection(ReadOnlyStrings.GetOrAdd(connectionString, ReadOnly));
        try
        {
            connection.Open();
            var handle = connection.Handle!;
            if (!Configured.TryGetValue(handle, out _))
            {
                // A reader can meet a checkpoint's or a recovery's lock: wait as the other connections do. Then read
                // the schema, so that a kept statement prepared before any table was named (BEGIN) is not expired,
                // and prepared again, when the first read loads it.
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA busy_timeout=10000; SELECT 1 FROM sqlite_schema LIMIT 0;";
                command.ExecuteNonQuery();
                Configured.AddOrUpdate(handle, handle);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/>'s statements in one read transaction, so they all see one snapshot of the database
    /// (autocommit statements each see the latest commit). BEGIN and COMMIT are kept statements too: a transaction
    /// through Microsoft.Data.Sqlite prepares both again on every call, a few microseconds of a hot read.
    /// </summary>
    public static T InSnapshot<TState, T>(SqliteConnection connection, TState state, Func<SqliteConnection, TState, T> read)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(read);
        using (var begin = SqlitePreparedStatements.Rent(connection, "BEGIN"))
        {
            begin.Statement.Execute();
        }

        try
        {
            return read(connection, state);
        }
        finally
        {
            // Ends the read whatever happened in it (its statements are reset by their leases); ending a read
            // transaction writes nothing, so it waits for no lock. The pooled connection goes back with no snapshot.
            using var end = SqlitePreparedStatements.Rent(connection, "COMMIT");
            end.Statement.Execute();
        }
    }

    /// <summary>
    /// The read-only form of a connection string. An in-memory database cannot be opened read-only and has no other
    /// files to share: it keeps its own string (and EF's pool, with the re-preparation that costs).
    /// </summary>
    internal static string ReadOnly(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return connectionString;
        }

        builder.Mode = SqliteOpenMode.ReadOnly;
        return builder.ToString();
    }
}
