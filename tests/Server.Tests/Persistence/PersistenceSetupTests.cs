using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>How the service's contexts are configured, on the provider this run uses.</summary>
public sealed class PersistenceSetupTests
{
    [Fact]
    public async Task ListInAQuery_OneOrThreeElements_SameSqlSoEfCachesIt()
    {
        await using var app = await TestApp.StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        string SqlFor(string[] ids) => db.Episodes.Where(e => ids.Contains(e.PatientId)).ToQueryString();

        var sqlForOne = SqlFor(["a"]);
        var sqlForThree = SqlFor(["a", "b", "c"]);

        // One parameter for the whole list: SQL that depends on the list's length is generated again on every
        // execution, compiled queries included (the communication-needs read of every explanation attempt).
        Assert.Equal(StatementOf(sqlForOne), StatementOf(sqlForThree));
    }

    // ToQueryString puts the parameters' values first (comments, or SQLite shell .param lines): compare the statement.
    private static string StatementOf(string sql) =>
        sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];
}
