using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// Compiled queries are compiled once per EF model: a compiled query refuses any model but the first it ran against,
/// and a process may hold two (a test host or a tool with SQLite and a server database side by side).
/// </summary>
public sealed class CompiledPerModelTests
{
    [Fact]
    public async Task For_ContextsOfTwoProviders_OneCompiledQueryPerModelEachRunsOnItsOwn()
    {
        var compiles = 0;
        var query = new CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<bool>>>(() =>
        {
            compiles++;
            return EF.CompileAsyncQuery((MhaRightsDbContext db, string id, CancellationToken ct) => db.Patients.Any(p => p.Id == id));
        });
        var directory = Directory.CreateTempSubdirectory("mharights-compiled-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite($"Data Source={Path.Combine(directory, "c.db")};Pooling=false").Options;
            await using var sqlite = new SqliteMhaRightsDbContext(options);
            await using var sqlite2 = new SqliteMhaRightsDbContext(options);
            await using var sqlServer = new SqlServerMhaRightsDbContext(
                new DbContextOptionsBuilder<SqlServerMhaRightsDbContext>().UseSqlServer("Server=unused.invalid;Database=MhaRights;Integrated Security=true").Options);
            await sqlite.Database.EnsureCreatedAsync();

            Assert.False(await query.For(sqlite)(sqlite, "p1", CancellationToken.None));
            Assert.False(await query.For(sqlite2)(sqlite2, "p1", CancellationToken.None));
            Assert.Same(query.For(sqlite), query.For(sqlite2));
            Assert.NotSame(query.For(sqlite), query.For(sqlServer));
            Assert.Equal(2, compiles);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
