using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Per-connection SQLite settings. WAL lets readers proceed while the single writer commits;
/// synchronous=FULL makes each acknowledged commit durable across power loss; foreign keys are off by default
/// in SQLite and must be switched on per connection.
/// </summary>
internal sealed class SqlitePragmaInterceptor(string synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={Validate(synchronous)}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Validate(string value) =>
        value.ToUpperInvariant() switch
        {
            "FULL" or "NORMAL" or "EXTRA" => value.ToUpperInvariant(),
            _ => throw new InvalidOperationException($"Database:SqliteSynchronous must be FULL, NORMAL or EXTRA, not '{value}'."),
        };
}
