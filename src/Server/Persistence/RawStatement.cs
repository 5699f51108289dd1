using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MhaRights.Server.Persistence;

/// <summary>
/// A prepared statement stepped through SQLite's own API on a Microsoft.Data.Sqlite connection: text columns are read
/// as the UTF-8 bytes SQLite holds (no string per value), which is most of the cost of reading millions of rows
/// through ADO.NET. Either owned by its caller (disposed after use) or kept by <see cref="SqlitePreparedStatements"/>
/// for the life of its physical connection.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    // SQLITE_STMTSTATUS_REPREPARE (sqlite3.h), which SQLitePCLRaw does not name.
    private const int StatusReprepare = 5;

    private readonly sqlite3 _connection;
    private readonly sqlite3_stmt _statement;

    // The statement's native pointer for SqliteColumns. An owned statement keeps its handle alive with a reference
    // until Dispose; a kept one is alive as long as the cache that holds it (its connection).
    private readonly IntPtr _pointer;
    private bool _referenced;

    public RawStatement(SqliteConnection connection, string sql)
        : this(connection.Handle ?? throw new InvalidOperationException("The connection is not open."), sql, persistent: false)
    {
    }

    /// <summary>A statement owned by its caller on a connection opened through SQLite's own API.</summary>
    public RawStatement(sqlite3 connection, string sql)
        : this(connection, sql, persistent: false)
    {
    }

    private RawStatement(sqlite3 connection, string sql, bool persistent)
    {
        _connection = connection;
        // SQLITE_PREPARE_PERSISTENT: SQLite's hint that the statement is reused many times.
        Check(persistent ? raw.sqlite3_prepare_v3(connection, sql, 1, out _statement) : raw.sqlite3_prepare_v2(connection, sql, out _statement));
        if (!persistent)
        {
            _statement.DangerousAddRef(ref _referenced);
        }

        _pointer = _statement.DangerousGetHandle();
    }

    /// <summary>A statement to be kept and reused on <paramref name="connection"/> (reset after each use, never disposed).</summary>
    public static RawStatement Persistent(sqlite3 connection, string sql) => new(connection, sql, persistent: true);

    /// <summary>Binds a named parameter, with or without its prefix (null = SQL NULL; dates in EF's text format).</summary>
    public void Bind(string name, object? value)
    {
        var index = new[] { name, "@" + name, "$" + name, ":" + name }.Select(n => raw.sqlite3_bind_parameter_index(_statement, n)).FirstOrDefault(i => i > 0);
        if (index == 0)
        {
            throw new InvalidOperationException($"The statement has no parameter {name}.");
        }

        Bind(index, value);
    }

    /// <summary>Binds a model property's value at a 1-based index as EF Core would store it (its value converter applied).</summary>
    public void Bind(int index, object? value, Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping mapping) =>
        Bind(index, mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value);

    /// <summary>Binds the parameter at a 1-based index.</summary>
    public void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, index),
            string text => raw.sqlite3_bind_text(_statement, index, text),
            DateTime time => raw.sqlite3_bind_text(_statement, index, SqliteText.Format(time)),
            bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
            int or long or short or byte => raw.sqlite3_bind_int64(_statement, index, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            double or float => raw.sqlite3_bind_double(_statement, index, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
            _ => throw new NotSupportedException($"Parameter {index} of type {value.GetType().Name}."),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"Binding parameter {index} failed ({rc}).");
        }
    }

    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        return rc == raw.SQLITE_ROW || (rc == raw.SQLITE_DONE ? false : throw Error(rc));
    }

    /// <summary>
    /// Runs a statement that returns no rows (an INSERT) and resets it. A failure is a <see cref="SqliteException"/>
    /// with SQLite's codes, as Microsoft.Data.Sqlite raises it, so constraint and disk errors are recognised the same
    /// way whichever path wrote the row.
    /// </summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            var failure = new SqliteException(
                $"SQLite Error {rc}: '{raw.sqlite3_errmsg(_connection).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_connection));
            raw.sqlite3_reset(_statement);
            throw failure;
        }

        raw.sqlite3_reset(_statement);
    }

    /// <summary>Ready for the next use: the read ends (no snapshot held) and the bindings are cleared.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    /// <summary>How often SQLite has had to parse and plan the statement again since it was prepared (an expired statement).</summary>
    public int Reprepares => raw.sqlite3_stmt_status(_statement, StatusReprepare, 0);

    /// <summary>True between a step that returned a row and the reset (the statement holds a read open).</summary>
    public bool Busy => raw.sqlite3_stmt_busy(_statement) != 0;

    public bool IsNull(int column) => SqliteColumns.IsNull(_pointer, column);

    /// <summary>The column's text as UTF-8 (empty for NULL; valid until the next step).</summary>
    public ReadOnlySpan<byte> Text(int column) => SqliteColumns.Text(_pointer, column);

    public string String(int column) => System.Text.Encoding.UTF8.GetString(Text(column));

    public int Int(int column) => SqliteColumns.Int(_pointer, column);

    public long Int64(int column) => SqliteColumns.Int64(_pointer, column);

    public double Double(int column) => SqliteColumns.Double(_pointer, column);

    public void Dispose()
    {
        if (_referenced)
        {
            _statement.DangerousRelease();
            _referenced = false;
        }

        _statement.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private InvalidOperationException Error(int rc) =>
        new($"SQLite error {rc}: {raw.sqlite3_errmsg(_connection).utf8_to_string()}");
}

/// <summary>
/// Statements prepared once per physical SQLite connection and reused by every request that borrows that connection
/// from the pool. Microsoft.Data.Sqlite finalizes a command's statements when its connection is closed, so a request
/// through EF or ADO.NET prepares its SQL again every time; for the hot reads that preparation cost more than the
/// read itself (bench/RESULTS.md). A pooled physical connection serves one logical connection at a time, so its
/// statements are never used by two threads at once. Keep them on <see cref="SqliteReadConnections"/>: on a connection
/// EF Core opens they are expired, and prepared again, on every open.
/// </summary>
internal static class SqlitePreparedStatements
{
    // Keyed by the native connection object: entries go with it when the pool closes it (its statements are then
    // finalized by their handles, after SQLite has closed the connection lazily: sqlite3_close_v2).
    private static readonly ConditionalWeakTable<sqlite3, Dictionary<string, RawStatement>> ByConnection = [];

    /// <summary>The statement for <paramref name="sql"/> on this connection, ready to bind; reset when the lease is disposed.</summary>
    public static Lease Rent(SqliteConnection connection, string sql)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var statements = ByConnection.GetValue(handle, _ => new Dictionary<string, RawStatement>(StringComparer.Ordinal));
        if (!statements.TryGetValue(sql, out var statement))
        {
            statement = RawStatement.Persistent(handle, sql);
            statements.Add(sql, statement);
        }

        return new Lease(statement);
    }

    /// <summary>The statements kept on this connection, each with how often SQLite has had to prepare it again.</summary>
    internal static IReadOnlyList<(string Sql, int Reprepares)> Kept(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        return ByConnection.TryGetValue(handle, out var statements)
            ? statements.Select(s => (s.Key, s.Value.Reprepares)).ToList()
            : [];
    }

    public readonly struct Lease(RawStatement statement) : IDisposable
    {
        public RawStatement Statement { get; } = statement;

        public void Dispose() => Statement.Reset();
    }
}
