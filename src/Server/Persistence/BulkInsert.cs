using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Appends rows of an append-only table with multi-row INSERT statements on the unit of work's connection and
/// transaction, without the change tracker (issue 16): SaveChanges tracks each added entity and inserts it as its own
/// statement, and the audit events are most of the rows a write or an imported CSV row adds. Table, columns,
/// parameter types and value conversions all come from the EF model, so the stored values are exactly those
/// SaveChanges would store, on every provider.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Parameters per statement: under SQL Server's 2,100 (SQLite allows 32,766, PostgreSQL 65,535).</summary>
    private const int MaxParameters = 2000;

    /// <summary>
    /// Parameters per multi-row statement on SQLite, bound by position: large enough that a block's rows share one
    /// statement's overhead, small enough that a unit's few rows rarely fill a block (they then go one at a time).
    /// </summary>
    private const int MaxSqliteParameters = 256;

    private static readonly ConcurrentDictionary<(string Provider, Type Entity), Shape> Shapes = new();

    public static Task InsertAsync<T>(MhaRightsDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class =>
        InsertAsync(db, typeof(T), rows, cancellationToken);

    /// <summary>Appends <paramref name="rows"/>, entities of the model's <paramref name="entity"/> type.</summary>
    public static async Task InsertAsync(MhaRightsDbContext db, Type entity, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var shape = Shapes.GetOrAdd((db.Database.ProviderName ?? string.Empty, entity), key => Shape.Create(db, key.Entity));
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk appends run inside the unit of work's transaction.");
        if (transaction.Connection is SqliteConnection sqlite)
        {
            AppendSqlite(sqlite, shape, rows);
            return;
        }

        var perStatement = Math.Max(1, MaxParameters / shape.Columns.Length);
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = shape.Sql(count);
            for (var r = 0; r < count; r++)
            {
                var row = rows[start + r];
                for (var c = 0; c < shape.Columns.Length; c++)
                {
                    var column = shape.Columns[c];
                    // The mapping applies the property's value converter, as SaveChanges does.
                    command.Parameters.Add(column.Mapping.CreateParameter(command, shape.ParameterName(r, c), column.Getter.GetClrValueUsingContainingEntity(row), column.Nullable));
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// SQLite: statements kept on the connection (the single writer's, for the life of the process), bound by position
    /// and stepped through SQLite's own API. Microsoft.Data.Sqlite would prepare each command again and find every
    /// parameter by name (a linear search per parameter, 6.7% of an import's samples); here a row costs its binds and
    /// one step. Whole blocks of rows go through one multi-row statement, the rest one row at a time.
    /// </summary>
    private static void AppendSqlite(SqliteConnection connection, Shape shape, IReadOnlyList<object> rows)
    {
        var perBlock = Math.Max(1, MaxSqliteParameters / shape.Columns.Length);
        var start = 0;
        if (rows.Count >= perBlock)
        {
            using var block = SqlitePreparedStatements.Rent(connection, shape.Sql(perBlock));
            for (; start + perBlock <= rows.Count; start += perBlock)
            {
                for (var r = 0; r < perBlock; r++)
                {
                    shape.Bind(block.Statement, rows[start + r], (r * shape.Columns.Length) + 1);
                }

                block.Statement.Execute();
            }
        }

        if (start < rows.Count)
        {
            using var single = SqlitePreparedStatements.Rent(connection, shape.Sql(1));
            for (; start < rows.Count; start++)
            {
                shape.Bind(single.Statement, rows[start], 1);
                single.Statement.Execute();
            }
        }
    }

    private sealed record Column(IClrPropertyGetter Getter, RelationalTypeMapping Mapping, bool Nullable);

    private sealed class Shape
    {
        private readonly string _prefix;
        private readonly ISqlGenerationHelper _sql;
        private readonly ConcurrentDictionary<int, string> _statements = new();

        private Shape(Column[] columns, string prefix, ISqlGenerationHelper sql)
        {
            Columns = columns;
            _prefix = prefix;
            _sql = sql;
        }

        public Column[] Columns { get; }

        public static Shape Create(MhaRightsDbContext db, Type entity)
        {
            var type = db.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not in the model.");
            var table = type.GetTableName() ?? throw new InvalidOperationException($"{entity.Name} is not mapped to a table.");
            if (type.GetComplexProperties().Any())
            {
                // Their columns are not among the type's own properties: the rows would be stored without them.
                throw new InvalidOperationException($"{entity.Name} has complex properties; append it with SaveChanges.");
            }

            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var properties = type.GetProperties().Where(p => p.GetColumnName(store) is not null && p.ValueGenerated == ValueGenerated.Never).ToArray();
            var names = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!)));
            var columns = properties.Select(p => new Column(p.GetGetter(), p.GetRelationalTypeMapping(), p.IsNullable)).ToArray();
            return new Shape(columns, $"INSERT INTO {sql.DelimitIdentifier(table, type.GetSchema())} ({names}) VALUES ", sql);
        }

        /// <summary>Binds one row's values from parameter <paramref name="first"/> on, converted as SaveChanges converts them.</summary>
        public void Bind(RawStatement statement, object row, int first)
        {
            for (var c = 0; c < Columns.Length; c++)
            {
                var column = Columns[c];
                statement.Bind(first + c, column.Getter.GetClrValueUsingContainingEntity(row), column.Mapping);
            }
        }

        /// <summary>The parameter's name as the statement writes it (with the provider's prefix, e.g. @b0_1).</summary>
        public string ParameterName(int row, int column) => _sql.GenerateParameterName(string.Create(CultureInfo.InvariantCulture, $"b{row}_{column}"));

        /// <summary>The statement for <paramref name="rows"/> rows (cached: a unit appends few distinct counts).</summary>
        public string Sql(int rows) => _statements.GetOrAdd(rows, count =>
        {
            var text = new StringBuilder(_prefix);
            for (var r = 0; r < count; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < Columns.Length; c++)
                {
                    text.Append(c == 0 ? string.Empty : ", ").Append(ParameterName(r, c));
                }

                text.Append(')');
            }

            return text.ToString();
        });
    }
}
