using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>An acknowledged write must survive a crash and a power loss: WAL with synchronous=FULL by default.</summary>
public sealed class SqliteSettingsTests
{
    [SqliteTheory]
    [InlineData(null, 2L)]
    [InlineData("NORMAL", 1L)]
    public async Task WriterConnection_Configured_WalSynchronousLevelAndForeignKeys(string? synchronous, long expected)
    {
        await using var app = synchronous is null
            ? await TestApp.StartAsync()
            : await TestApp.StartAsync(null, $"--Database:SqliteSynchronous={synchronous}");
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();

        // Every write runs on the group-commit writer connection: its settings are the ones that make commits durable.
        var unit = await groupCommit.EnterAsync(CancellationToken.None);
        try
        {
            Assert.Equal("wal", await PragmaAsync<string>(unit.Connection, "journal_mode", unit.Transaction));
            Assert.Equal(expected, await PragmaAsync<long>(unit.Connection, "synchronous", unit.Transaction));
            Assert.Equal(1L, await PragmaAsync<long>(unit.Connection, "foreign_keys", unit.Transaction));
            // The write-lock timeout (TestApp sets 30 s) is the busy timeout, so another process's lock ends in DATABASE_BUSY.
            Assert.Equal(30_000L, await PragmaAsync<long>(unit.Connection, "busy_timeout", unit.Transaction));
        }
        finally
        {
            unit.Leave(succeeded: true);
        }

        await unit.Committed;
    }

    [SqliteTheory]
    [InlineData(null, 2L)]
    [InlineData("NORMAL", 1L)]
    public async Task PooledConnection_ReopenedFromPool_SettingsStillApplied(string? synchronous, long expected)
    {
        await using var app = await TestApp.StartAsync(null, [
            $"--Database:SqliteSynchronous={synchronous ?? "FULL"}",
            $"--Database:ConnectionString=Data Source={Path.Combine(Path.GetTempPath(), $"mharights-pool-{Guid.NewGuid():N}.db")};Pooling=True",
        ]);

        // The PRAGMAs run once per physical connection; a logical reopen from the pool must still have them.
        for (var open = 0; open < 3; open++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
            await db.Database.OpenConnectionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            Assert.Equal("wal", await PragmaAsync<string>(connection, "journal_mode"));
            Assert.Equal(expected, await PragmaAsync<long>(connection, "synchronous"));
            Assert.Equal(1L, await PragmaAsync<long>(connection, "foreign_keys"));
            Assert.Equal(10000L, await PragmaAsync<long>(connection, "busy_timeout"));
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<T> PragmaAsync<T>(SqliteConnection connection, string pragma, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"PRAGMA {pragma}";
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
