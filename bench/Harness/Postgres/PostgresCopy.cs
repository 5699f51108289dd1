using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace MhaRights.Bench.Postgres;

/// <summary>
/// Copies a generated SQLite dataset into a PostgreSQL database that the service's own PostgreSQL migrations have
/// just created, so the PostgreSQL loads run on exactly the rows the SQLite loads run on (same ids, same workload
/// file). Every table the migrations made is copied column by column with binary COPY, each value converted from
/// the SQLite provider's storage (text dates, 0/1 booleans) to the PostgreSQL column's type; a column or table
/// missing on either side stops the copy rather than leaving a partial dataset. Secondary indexes are dropped
/// during the copy and recreated from their own definitions, identity sequences moved past the copied rows, and
/// the tables analysed, as autovacuum would have done on a database that had grown to this size in service.
/// </summary>
internal static class PostgresCopy
{
    private const int ProgressEvery = 1_000_000;

    public static async Task<int> RunAsync(Args args)
    {
        var sqlitePath = Path.GetFullPath(args.Require("db"));
        var postgres = args.Require("postgres");
        var clock = Stopwatch.StartNew();

        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync();
        var tables = await TablesAsync(target);
        if (tables.Count == 0)
        {
            throw new InvalidOperationException("The PostgreSQL database has no tables: run the service's `migrate` on it first.");
        }

        if (await ExecuteScalarAsync<long>(target, "SELECT COUNT(*) FROM \"Patients\"") > 0)
        {
            throw new InvalidOperationException("The PostgreSQL database already holds patients: copy into a freshly migrated database.");
        }

        // What the service wrote on its first start (the bootstrap key and its audit events) goes: the dataset is the
        // SQLite file's rows alone. API keys and idempotency records are not copied either: they belong to a run
        // (each run's first start creates its own bootstrap key), not to the dataset.
        await ExecuteAsync(target, $"TRUNCATE {string.Join(", ", tables.Select(t => $"\"{t}\""))} RESTART IDENTITY");
        tables.RemoveAll(t => t is "ApiKeys" or "IdempotencyRecords");

        using var source = new SqliteConnection($"Data Source={sqlitePath};Mode=ReadOnly;Pooling=False");
        source.Open();

        // Foreign-key triggers off for this session (the rows are copied table by table, in no particular order) and
        // the secondary indexes dropped: building them once at the end is much cheaper than maintaining them per row.
        await ExecuteAsync(target, "SET session_replication_role = replica");
        var indexes = await SecondaryIndexesAsync(target);
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(target, $"DROP INDEX \"{name}\"");
        }

        long total = 0;
        foreach (var table in tables)
        {
            var columns = await ColumnsAsync(target, table);
            var sqliteColumns = SqliteColumns(source, table);
            var missing = columns.Where(c => !sqliteColumns.Contains(c.Name)).Select(c => c.Name).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"Table {table}: SQLite has no column(s) {string.Join(", ", missing)}; migrate both databases to the same version first.");
            }

            var started = clock.Elapsed;
            var rows = await CopyTableAsync(source, target, table, columns);
            total += rows;
            Console.WriteLine($"  {table}: {rows:N0} rows in {(clock.Elapsed - started).TotalSeconds:F0} s");
        }

        var indexClock = Stopwatch.StartNew();
        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(target, definition);
        }

        Console.WriteLine($"  {indexes.Count} secondary indexes rebuilt in {indexClock.Elapsed.TotalSeconds:F0} s");
        await ExecuteAsync(target, "SET session_replication_role = DEFAULT");
        await ResetIdentitySequencesAsync(target);
        var analyse = Stopwatch.StartNew();
        await ExecuteAsync(target, "VACUUM (ANALYZE)");
        Console.WriteLine($"  VACUUM (ANALYZE) in {analyse.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"Copied {total:N0} rows of {tables.Count} tables from {sqlitePath} in {clock.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    private sealed record Column(string Name, string Type);

    private static async Task<long> CopyTableAsync(SqliteConnection source, NpgsqlConnection target, string table, IReadOnlyList<Column> columns)
    {
        var list = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        using var read = source.CreateCommand();
        read.CommandText = $"SELECT {list} FROM \"{table}\"";
        using var reader = read.ExecuteReader();
        var types = columns.Select(c => NpgsqlType(c.Type)).ToArray();
        await using var writer = await target.BeginBinaryImportAsync($"COPY \"{table}\" ({list}) FROM STDIN (FORMAT BINARY)");
        long rows = 0;
        while (reader.Read())
        {
            await writer.StartRowAsync();
            for (var i = 0; i < columns.Count; i++)
            {
                if (reader.IsDBNull(i))
                {
                    await writer.WriteNullAsync();
                    continue;
                }

                await WriteValueAsync(writer, reader, i, columns[i], types[i]);
            }

            if (++rows % ProgressEvery == 0)
            {
                Console.WriteLine($"    {table}: {rows:N0} rows…");
            }
        }

        await writer.CompleteAsync();
        return rows;
    }

    // The SQLite provider's storage, per PostgreSQL column type (see bench/README.md, "The bulk load path").
    private static Task WriteValueAsync(NpgsqlBinaryImporter writer, SqliteDataReader reader, int i, Column column, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.TimestampTz => writer.WriteAsync(
            DateTime.SpecifyKind(DateTime.Parse(reader.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc), type),
        NpgsqlDbType.Date => writer.WriteAsync(DateOnly.ParseExact(reader.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture), type),
        NpgsqlDbType.Boolean => writer.WriteAsync(reader.GetInt64(i) != 0, type),
        NpgsqlDbType.Bigint => writer.WriteAsync(reader.GetInt64(i), type),
        NpgsqlDbType.Integer => writer.WriteAsync(reader.GetInt32(i), type),
        NpgsqlDbType.Smallint => writer.WriteAsync(reader.GetInt16(i), type),
        NpgsqlDbType.Double => writer.WriteAsync(reader.GetDouble(i), type),
        NpgsqlDbType.Bytea => writer.WriteAsync((byte[])reader.GetValue(i), type),
        NpgsqlDbType.Text or NpgsqlDbType.Varchar => writer.WriteAsync(reader.GetString(i), type),
        _ => throw new InvalidOperationException($"Column {column.Name}: PostgreSQL type '{column.Type}' has no conversion here; add one."),
    };

    private static NpgsqlDbType NpgsqlType(string type) => type switch
    {
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "date" => NpgsqlDbType.Date,
        "boolean" => NpgsqlDbType.Boolean,
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "smallint" => NpgsqlDbType.Smallint,
        "double precision" => NpgsqlDbType.Double,
        "bytea" => NpgsqlDbType.Bytea,
        "text" => NpgsqlDbType.Text,
        "character varying" => NpgsqlDbType.Varchar,
        _ => NpgsqlDbType.Unknown,
    };

    private static async Task<List<string>> TablesAsync(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' " +
            "AND table_name <> '__EFMigrationsHistory' ORDER BY table_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<Column>> ColumnsAsync(NpgsqlConnection connection, string table)
    {
        var columns = new List<Column>();
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 " +
            "AND is_generated = 'NEVER' ORDER BY ordinal_position", connection);
        command.Parameters.AddWithValue(table);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(new Column(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    private static HashSet<string> SqliteColumns(SqliteConnection connection, string table)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        if (columns.Count == 0)
        {
            throw new InvalidOperationException($"SQLite has no table {table}; migrate both databases to the same version first.");
        }

        return columns;
    }

    /// <summary>Every index that is not a primary key, with the statement that recreates it.</summary>
    private static async Task<List<(string Name, string Definition)>> SecondaryIndexesAsync(NpgsqlConnection connection)
    {
        var indexes = new List<(string, string)>();
        await using var command = new NpgsqlCommand(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' " +
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u', 'x')) ORDER BY i.indexname", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    private static async Task ResetIdentitySequencesAsync(NpgsqlConnection connection)
    {
        var identities = new List<(string Table, string Column)>();
        await using (var command = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval%')", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                identities.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in identities)
        {
            await ExecuteAsync(connection,
                $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ExecuteScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
