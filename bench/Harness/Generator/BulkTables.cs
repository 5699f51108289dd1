using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MhaRights.Bench.Generator;

/// <summary>
/// One prepared INSERT for one table, bound by position through SQLitePCLRaw (Microsoft.Data.Sqlite re-resolves every
/// parameter by name on each execution, which made it the generator's bottleneck at ~17 µs a row). The column list is
/// written out by hand and checked against the migrated schema when the statement is built: a migration that adds,
/// drops or renames a column makes the generator fail at once instead of silently writing rows the service would not.
/// Values are stored exactly as the service's EF Core SQLite provider stores them: enums by name
/// (HasConversion&lt;string&gt;()), DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF" and DateOnly as "yyyy-MM-dd" text (the
/// formats Microsoft.Data.Sqlite binds), bool as 0/1, so the service's comparisons see the same strings.
/// </summary>
internal sealed class BulkInsert : IDisposable
{
    /// <summary>Rows per multi-row INSERT: fewer statement executions, same rows.</summary>
    private const int RowsPerStatement = 32;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _single;
    private readonly sqlite3_stmt _multi;
    private readonly string _table;
    private readonly int _columns;
    private readonly object?[][] _buffer;
    private int _buffered;

    public BulkInsert(SqliteConnection connection, string table, params string[] columns)
    {
        var actual = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                actual.Add(reader.GetString(0));
            }
        }

        var missing = actual.Except(columns, StringComparer.Ordinal).ToList();
        var unknown = columns.Except(actual, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The generator's columns for {table} no longer match the migrated schema. Not written by the generator: [{string.Join(", ", missing)}]; " +
                $"not in the table: [{string.Join(", ", unknown)}]. Update bench/Harness/Generator to write what the service writes.");
        }

        _table = table;
        _columns = columns.Length;
        _db = connection.Handle!;
        _buffer = new object?[RowsPerStatement][];
        var insert = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ";
        var tuple = "(" + string.Join(", ", columns.Select(_ => "?")) + ")";
        Check(raw.sqlite3_prepare_v2(_db, insert + tuple, out _single));
        Check(raw.sqlite3_prepare_v2(_db, insert + string.Join(", ", Enumerable.Repeat(tuple, RowsPerStatement)), out _multi));
    }

    public long Rows { get; private set; }

    /// <summary>Queues one row (values in column order); rows go in <see cref="RowsPerStatement"/> at a time.</summary>
    public void Execute(params object?[] values)
    {
        _buffer[_buffered++] = values;
        Rows++;
        if (_buffered == RowsPerStatement)
        {
            for (var row = 0; row < RowsPerStatement; row++)
            {
                Bind(_multi, row * _columns, _buffer[row]);
            }

            Step(_multi);
            _buffered = 0;
        }
    }

    /// <summary>Inserts what is queued; call before COMMIT.</summary>
    public void Flush()
    {
        for (var row = 0; row < _buffered; row++)
        {
            Bind(_single, 0, _buffer[row]);
            Step(_single);
        }

        _buffered = 0;
    }

    public void Dispose()
    {
        _single.Dispose();
        _multi.Dispose();
    }

    private void Bind(sqlite3_stmt statement, int offset, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var index = offset + i + 1;
            var rc = values[i] switch
            {
                null => raw.sqlite3_bind_null(statement, index),
                string s => raw.sqlite3_bind_text(statement, index, s),
                DateTime d => raw.sqlite3_bind_text(statement, index, d.ToString("yyyy\\-MM\\-dd HH\\:mm\\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
                DateOnly d => raw.sqlite3_bind_text(statement, index, d.ToString("yyyy\\-MM\\-dd", CultureInfo.InvariantCulture)),
                bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
                int n => raw.sqlite3_bind_int64(statement, index, n),
                long n => raw.sqlite3_bind_int64(statement, index, n),
                Enum e => raw.sqlite3_bind_text(statement, index, e.ToString()),
                var other => throw new InvalidOperationException($"{_table}: no binding for {other.GetType()}"),
            };
            Check(rc);
        }

    }

    private void Step(sqlite3_stmt statement)
    {
        if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException($"{_table}: insert failed: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }

        Check(raw.sqlite3_reset(statement));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"{_table}: SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }
    }
}
