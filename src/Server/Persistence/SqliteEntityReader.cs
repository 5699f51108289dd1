using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Reads whole entities (untracked) from a <see cref="RawStatement"/> row, with the table, columns and value
/// conversions taken from the EF model: a property added to the model is read here with no change, and enum and
/// UTC conversions are EF's own. For the hot reads that bypass EF's query pipeline on SQLite
/// (<see cref="SqlitePreparedStatements"/>); an equivalence test holds them to what EF reads.
/// </summary>
internal sealed class SqliteEntityReader<T>
    where T : class
{
    private static readonly CompiledPerModel<SqliteEntityReader<T>> PerModel = new(db => new SqliteEntityReader<T>(db.Model));

    private readonly Func<T> _create;
    private readonly Mapped[] _columns;
    private readonly Dictionary<string, Mapped> _byProperty;

    private SqliteEntityReader(IModel model)
    {
        var entityType = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        Table = Quote(table.Name);
        _create = Expression.Lambda<Func<T>>(Expression.New(typeof(T))).Compile();
        _columns = entityType.GetProperties()
            .Where(p => p.PropertyInfo is not null)
            .Select(p => new Mapped(p, Quote(p.GetColumnName(table)!)))
            .ToArray();
        _byProperty = _columns.ToDictionary(c => c.Property.Name, StringComparer.Ordinal);
        Columns = string.Join(", ", _columns.Select(c => c.Name));
    }

    /// <summary>The quoted table name.</summary>
    public string Table { get; }

    /// <summary>Every mapped column, quoted and comma-separated, in the order <see cref="Read"/> expects them.</summary>
    public string Columns { get; }

    public static SqliteEntityReader<T> For(DbContext db) => PerModel.For(db);

    /// <summary>The quoted column of a property.</summary>
    public string Column(string property) => _byProperty[property].Name;

    /// <summary>A value as an SQL literal in its stored form (e.g. an enum by name), for fixed filters in a statement.</summary>
    public string Literal(string property, object value)
    {
        var stored = _byProperty[property].Converter is { } converter ? converter.ConvertToProvider(value) : value;
        return stored switch
        {
            string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
            bool flag => flag ? "1" : "0",
            int or long => Convert.ToString(stored, System.Globalization.CultureInfo.InvariantCulture)!,
            _ => throw new NotSupportedException($"A literal of {stored?.GetType().Name ?? "null"} for {typeof(T).Name}.{property}."),
        };
    }

    /// <summary>The entity in the current row, its columns starting at <paramref name="first"/>.</summary>
    public T Read(RawStatement row, int first = 0)
    {
        var entity = _create();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Assign(entity, row, first + i);
        }

        return entity;
    }

    /// <summary>Every remaining row of <paramref name="rows"/> (at most <paramref name="limit"/>), stepped to its end or the limit.</summary>
    public List<T> ReadAll(RawStatement rows, int limit = int.MaxValue)
    {
        var entities = new List<T>();
        while (entities.Count < limit && rows.Step())
        {
            entities.Add(Read(rows));
        }

        return entities;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed class Mapped
    {
        private readonly Func<RawStatement, int, object> _read;
        private readonly Action<T, object?> _set;

        public Mapped(IProperty property, string name)
        {
            Property = property;
            Name = name;
            Converter = property.GetTypeMapping().Converter;
            var stored = Converter?.ProviderClrType ?? property.ClrType;
            _read = ReaderFor(Nullable.GetUnderlyingType(stored) ?? stored, property);
            var entity = Expression.Parameter(typeof(T));
            var value = Expression.Parameter(typeof(object));
            _set = Expression.Lambda<Action<T, object?>>(
                Expression.Assign(Expression.Property(entity, property.PropertyInfo!), Expression.Convert(value, property.ClrType)),
                entity,
                value).Compile();
        }

        public IProperty Property { get; }

        public string Name { get; }

        public ValueConverter? Converter { get; }

        public void Assign(T entity, RawStatement row, int column)
        {
            if (row.IsNull(column))
            {
                _set(entity, null);
                return;
            }

            var stored = _read(row, column);
            _set(entity, Converter is null ? stored : Converter.ConvertFromProvider(stored));
        }

        // The stored forms EF Core's SQLite provider writes for the model's types.
        private static Func<RawStatement, int, object> ReaderFor(Type stored, IProperty property) =>
            stored == typeof(string) ? (r, c) => r.String(c)
            : stored == typeof(DateTime) ? (r, c) => SqliteText.DateTime(r.Text(c))
            : stored == typeof(bool) ? (r, c) => r.Int64(c) != 0
            : stored == typeof(int) ? (r, c) => r.Int(c)
            : stored == typeof(long) ? (r, c) => r.Int64(c)
            : stored == typeof(double) ? (r, c) => r.Double(c)
            : throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name} is stored as {stored.Name}, which SqliteEntityReader does not read.");
    }
}
