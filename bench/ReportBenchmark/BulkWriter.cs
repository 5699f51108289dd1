using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MhaRights.ReportBenchmark;

/// <summary>
/// Inserts entities with one prepared SqliteCommand, taking table, column names and value converters (enums as
/// names, UTC dates) from the server's EF model, so the rows are exactly what the service itself would write.
/// </summary>
internal sealed class BulkWriter<T> : IDisposable
    where T : class
{
    private readonly SqliteCommand _command;
    private readonly (SqliteParameter Parameter, PropertyInfo Property, Func<object?, object?> Convert)[] _columns;

    public BulkWriter(DbContext model, SqliteConnection connection)
    {
        var entity = model.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var properties = entity.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        if (entity.GetProperties().Any(p => p.PropertyInfo is null))
        {
            throw new InvalidOperationException($"{typeof(T).Name} has shadow properties the generator does not fill.");
        }

        _command = connection.CreateCommand();
        var table = entity.GetTableName();
        var names = properties.Select(p => p.GetColumnName()).ToList();
        _command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})";
        _columns = properties.Select((p, i) =>
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = $"$p{i}";
            _command.Parameters.Add(parameter);
            var converter = p.GetTypeMapping().Converter;
            Func<object?, object?> convert = converter is null ? v => v : v => v is null ? null : converter.ConvertToProvider(v);
            return (parameter, p.PropertyInfo!, convert);
        }).ToArray();
        _command.Prepare();
    }

    public SqliteTransaction? Transaction
    {
        set => _command.Transaction = value;
    }

    public void Write(T row)
    {
        foreach (var (parameter, property, convert) in _columns)
        {
            parameter.Value = convert(property.GetValue(row)) ?? DBNull.Value;
        }

        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
