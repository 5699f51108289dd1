using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Per-connection SQLite settings. WAL lets readers proceed while the single writer commits;
/// synchronous=FULL makes each acknowledged commit durable across power loss; foreign keys are off by default
/// in SQLite and must be switched on per connection. These are settings of the physical connection, which the pool
/// keeps open across logical opens, so they run once per physical connection, not on every open.
/// </summary>
internal sealed class SqlitePragmaInterceptor(string synchronous) : DbConnectionInterceptor
{
    /// <summary>Native handles already configured. Weak: a handle closed by the pool drops out with its object.</summary>
    private readonly ConditionalWeakTable<object, object> _configured = [];
    private readonly string _pragmas = PragmasFor(synchronous);

    /// <summary>
    /// SQLite's default page cache per connection (KiB): what a connection given a larger one for a while (the
    /// writer for an import batch, a report's reader) is set back to.
    /// </summary>
    public const int DefaultCacheKib = 2000;

    public static string PragmasFor(string synchronous) =>
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous={Validate(synchronous)}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    public static string Validate(string value) =>
        value.ToUpperInvariant() switch
        {
            "FULL" or "NORMAL" or "EXTRA" => value.ToUpperInvariant(),
            _ => throw new InvalidOperationException($"Database:SqliteSynchronous must be FULL, NORMAL or EXTRA, not '{value}'."),
        };

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True the first time this physical connection (native handle) is seen.</summary>
    private bool IsNew(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            return true;
        }

        var added = false;
        _configured.GetValue(handle, _ =>
        {
            added = true;
            return handle;
        });
        return added;
    }
}
