using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace MhaRights.Server.Persistence;

/// <summary>
/// On SQLite, a save whose only changes left are updates (a recorded attempt: the duty, and the patient's other duties
/// it touches) runs them as statements kept on the connection, bound by position, instead of through SaveChanges'
/// update pipeline, which built, prepared and bound its commands by name on every save (issue 16). The statements are
/// those EF would run: the modified columns, converted as EF converts them, where the key and every concurrency token
/// still have the values read (the etag check: no row changed means another writer got there first, and the save
/// fails with <see cref="DbUpdateConcurrencyException"/> as SaveChanges' would).
/// </summary>
internal static class SqliteUpdates
{
    private static readonly ConcurrentDictionary<(IEntityType Type, string Columns), Statement?> Statements = new();

    /// <summary>
    /// Runs the <paramref name="modified"/> entries' updates, and marks them saved, when nothing else is pending and
    /// every entry is a plain row of one table; otherwise does nothing (SaveChanges does it all).
    /// </summary>
    /// <param name="writing">Called once the updates are known to run here, before the first.</param>
    public static void Run(MhaRightsDbContext db, IReadOnlyList<EntityEntry> modified, Action writing)
    {
        if (modified.Count == 0
            || db.Database.GetDbConnection() is not SqliteConnection { Handle: not null } connection
            || db.Database.CurrentTransaction is null)
        {
            return;
        }

        var statements = new Statement[modified.Count];
        for (var i = 0; i < modified.Count; i++)
        {
            var entry = modified[i];
            var changed = entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToList();
            if (changed.Count == 0 || changed.Any(p => p.IsKey() || p.ValueGenerated != ValueGenerated.Never || p.IsShadowProperty()))
            {
                return;
            }

            var key = string.Join(',', changed.Select(p => p.Name));
            if (Statements.GetOrAdd((entry.Metadata, key), k => Statement.Create(db, k.Type, changed)) is not { } statement)
            {
                return;
            }

            if (statement.HasNullCondition(entry))
            {
                return;
            }

            statements[i] = statement;
        }

        writing();
        for (var i = 0; i < modified.Count; i++)
        {
            var entry = modified[i];
            using var lease = SqlitePreparedStatements.Rent(connection, statements[i].Sql);
            statements[i].Bind(lease.Statement, entry);
            try
            {
                lease.Statement.Execute();
            }
            catch (SqliteException ex)
            {
                throw new DbUpdateException($"An error occurred while updating {entry.Metadata.ClrType.Name}.", ex, new EntityEntry[] { entry });
            }

            if (raw.sqlite3_changes(connection.Handle) != 1)
            {
                // With the entry, as SaveChanges reports it (the server-database path reads the winner's etag from it).
#pragma warning disable EF1001 // The exception takes EF's update entries only; the tracked entry is one.
                throw new DbUpdateConcurrencyException(
                    $"The {entry.Metadata.ClrType.Name} was changed or deleted since it was read (expected to update 1 row).", [entry.GetInfrastructure()]);
#pragma warning restore EF1001
            }
        }

        foreach (var entry in modified)
        {
            // What SaveChanges does on success: the values saved become the original values.
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
    }

    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping);

    private sealed class Statement
    {
        private readonly Column[] _set;
        private readonly Column[] _where;

        private Statement(string sql, Column[] set, Column[] where)
        {
            Sql = sql;
            _set = set;
            _where = where;
        }

        public string Sql { get; }

        /// <summary>Null when the type is not a plain table row of scalar columns (EF then saves it): a complex
        /// property's columns are not among the entry's properties.</summary>
        public static Statement? Create(MhaRightsDbContext db, IEntityType type, IReadOnlyList<IProperty> changed)
        {
            if (type.GetTableName() is not { } table || type.IsOwned() || type.GetMappingStrategy() is not (null or RelationalAnnotationNames.TphMappingStrategy)
                || type.BaseType is not null || type.GetDerivedTypes().Any() || type.GetComplexProperties().Any())
            {
                return null;
            }

            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var key = type.FindPrimaryKey()!.Properties;
            var tokens = type.GetProperties().Where(p => p.IsConcurrencyToken && !p.IsKey());
            var set = changed.Select(p => new Column(p, p.GetRelationalTypeMapping())).ToArray();
            var where = key.Concat(tokens).Select(p => new Column(p, p.GetRelationalTypeMapping())).ToArray();
            if (set.Concat(where).Any(c => c.Property.GetColumnName(store) is null))
            {
                return null;
            }

            var text = new StringBuilder("UPDATE ").Append(sql.DelimitIdentifier(table, type.GetSchema())).Append(" SET ");
            text.AppendJoin(", ", set.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(store)!) + " = ?"));
            text.Append(" WHERE ").AppendJoin(" AND ", where.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(store)!) + " = ?"));
            return new Statement(text.ToString(), set, where);
        }

        /// <summary>A key or token read as NULL: "= NULL" never matches, so EF's own statement must do it.</summary>
        public bool HasNullCondition(EntityEntry entry) => _where.Any(c => entry.OriginalValues[c.Property] is null);

        /// <summary>The new values of the changed columns, then the key and concurrency tokens as they were read.</summary>
        public void Bind(RawStatement statement, EntityEntry entry)
        {
            var index = 1;
            foreach (var column in _set)
            {
                statement.Bind(index++, entry.CurrentValues[column.Property], column.Mapping);
            }

            foreach (var column in _where)
            {
                statement.Bind(index++, entry.OriginalValues[column.Property], column.Mapping);
            }
        }
    }
}
