using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>An acknowledged write must survive a crash and a power loss: WAL with synchronous=FULL by default.</summary>
public sealed class SqliteSettingsTests
{
    [Theory]
    [InlineData(null, 2L)]
    [InlineData("NORMAL", 1L)]
    public async Task ServerConnection_Configured_WalAndSynchronousLevel(string? synchronous, long expected)
    {
        await using var app = synchronous is null
            ? await TestApp.StartAsync()
            : await TestApp.StartAsync(null, $"--Database:SqliteSynchronous={synchronous}");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
        command.CommandText = "PRAGMA foreign_keys";
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
