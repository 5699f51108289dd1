using System.Text.Json;
using MhaRights.Server.Api;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Reporting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Duties = MhaRights.Server.Rights.Duties;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// The SQLite hot reads that bypass EF's query pipeline (Persistence/SqliteEntityReader, SqlitePreparedStatements,
/// Api/RightsStatusQueries, Api/ReadQueries) against what EF reads, on the seeded multi-patient dataset: every column
/// of every duty and episode, GetRightsStatus's answer and every page of ListDuties for every patient.
/// </summary>
public sealed class SqliteHotReadTests(ReportScanDataset data) : IClassFixture<ReportScanDataset>
{
    [SqliteFact]
    public async Task EntityReader_EveryDutyAndEpisode_SameValuesAsEf()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();

        var duties = await ReadAllAsync<Duties.RightsDuty>(db);
        var episodes = await ReadAllAsync<LegalStatusEpisode>(db);

        Assert.Equal(Json(await db.Duties.AsNoTracking().OrderBy(d => d.Id).ToListAsync()), Json(duties));
        Assert.Equal(Json(await db.Episodes.AsNoTracking().OrderBy(e => e.Id).ToListAsync()), Json(episodes));
        // Nulls and values in the columns that can hold either, UTC kinds and enums by name: all exercised.
        Assert.Contains(duties, d => d.FirstAttemptTime is null);
        Assert.Contains(duties, d => d.FirstUnderstoodTime is not null && d.RenewalAttempted);
        Assert.All(duties, d => Assert.Equal(DateTimeKind.Utc, d.OpenTime.Kind));
        Assert.Contains(episodes, e => e.SuspendedProvision is not null);
        Assert.True(duties.Select(d => d.State).Distinct().Count() > 3, "too few duty states");
    }

    [SqliteFact]
    public async Task RightsStatusStatements_EveryPatient_SameAnswerAsTheCompiledQuery()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var patients = await db.Patients.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
        var statements = RightsStatusQueries.SqliteStatements.For(db);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        int withEpisode = 0, withSeveralDuties = 0;

        foreach (var patient in patients)
        {
            var (episode, open) = await RightsStatusQueries.QueryAsync(db, patient, CancellationToken.None);
            await db.Database.OpenConnectionAsync();
            try
            {
                var (sqliteEpisode, sqliteOpen) = statements.Read(connection, patient);

                Assert.Equal(Json(episode), Json(sqliteEpisode));
                // The compiled query orders by due time only; the statement breaks ties by id.
                Assert.Equal(Json(open.OrderBy(d => d.DueTime).ThenBy(d => d.Id, StringComparer.Ordinal).ToList()), Json(sqliteOpen));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            withEpisode += episode is null ? 0 : 1;
            withSeveralDuties += open.Count > 1 ? 1 : 0;
        }

        Assert.True(withEpisode > 10 && withSeveralDuties > 10, $"{withEpisode} patients with a current episode, {withSeveralDuties} with several open duties");
        await db.Database.OpenConnectionAsync();
        try
        {
            Assert.Throws<Server.Common.ResourceNotFoundException>(() => statements.Read(connection, "unknownpatient0001"));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [SqliteFact]
    public async Task DutyPageStatements_EveryPatientPagedThreeAtATime_SamePagesAsTheCompiledQueries()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var patients = await db.Patients.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
        var pages = ReadQueries.SqliteDutyPages.For(db);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var pagesCompared = 0;

        foreach (var patient in patients)
        {
            foreach (var openOnly in new[] { false, true })
            {
                (DateTime Time, string Id)? after = null;
                while (true)
                {
                    var expected = await ReadQueries.CompiledDutyPageAsync(db, patient, openOnly, after, 3, CancellationToken.None);
                    await db.Database.OpenConnectionAsync();
                    try
                    {
                        Assert.Equal(Json(expected), Json(pages.Read(connection, patient, openOnly, after, 3)));
                    }
                    finally
                    {
                        await db.Database.CloseConnectionAsync();
                    }

                    pagesCompared++;
                    if (expected.Count < 3)
                    {
                        break;
                    }

                    after = (expected[^1].OpenTime, expected[^1].Id);
                }
            }
        }

        Assert.True(pagesCompared > 2 * patients.Count, $"{pagesCompared} pages for {patients.Count} patients: too few patients with more than one page");
    }

    [SqliteFact]
    public async Task PreparedStatements_SamePhysicalConnection_PreparedOnceAndResetAfterUse()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        const string Sql = "SELECT \"Id\" FROM \"Patients\" ORDER BY \"Id\"";
        await using var other = new SqliteConnection(connection.ConnectionString + ";Pooling=False");
        await other.OpenAsync();

        await db.Database.OpenConnectionAsync();
        RawStatement first;
        try
        {
            using (var lease = SqlitePreparedStatements.Rent(connection, Sql))
            {
                first = lease.Statement;
                Assert.True(first.Step());
                Assert.True(first.Busy);
            }

            // Reset on return: no read left open to hold back a checkpoint.
            Assert.False(first.Busy);
            using var again = SqlitePreparedStatements.Rent(connection, Sql);
            Assert.Same(first, again.Statement);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        using var elsewhere = SqlitePreparedStatements.Rent(other, Sql);
        Assert.NotSame(first, elsewhere.Statement);
    }

    [SqliteFact]
    public async Task HotReads_InterleavedWithEfOpens_KeptStatementsNeverPreparedAgain()
    {
        await using var db = PooledContext(out var connectionString);
        try
        {
            var patients = await db.Patients.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).Take(20).ToListAsync();
            foreach (var patient in patients)
            {
                await RightsStatusQueries.StatusAsync(db, patient, CancellationToken.None);
                await ReadQueries.DutyPageAsync(db, patient, openOnly: true, after: null, take: 3, CancellationToken.None);
                // What other requests do between two hot reads: EF opens the database (and registers its functions).
                await db.Database.OpenConnectionAsync();
                await db.Database.CloseConnectionAsync();
            }

            // And the existence check, which only a patient with nothing to show reaches.
            foreach (var unknown in new[] { "unknownpatient0001", "unknownpatient0002" })
            {
                await Assert.ThrowsAsync<Server.Common.ResourceNotFoundException>(() => RightsStatusQueries.StatusAsync(db, unknown, CancellationToken.None));
            }

            // One read at a time: the pool hands the same physical read connection back.
            using var connection = SqliteReadConnections.Open(connectionString);
            var kept = SqlitePreparedStatements.Kept(connection);
            Assert.True(kept.Count >= 4, $"{kept.Count} statements kept on the read connection");
            Assert.All(kept, k => Assert.True(k.Reprepares == 0, $"prepared again {k.Reprepares} times: {k.Sql}"));
        }
        finally
        {
            ClearPools(connectionString);
        }
    }

    [SqliteFact]
    public async Task KeptStatement_OnAConnectionEfOpensAgain_IsPreparedAgain()
    {
        // Why the hot reads have connections of their own (Persistence/SqliteReadConnections.cs): should a provider
        // version stop re-registering EF's functions on every open, this fails and those connections can go.
        await using var db = PooledContext(out var connectionString);
        try
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            const string Sql = "SELECT count(*) FROM \"Patients\" WHERE \"Id\" >= ?1";
            for (var open = 0; open < 3; open++)
            {
                await db.Database.OpenConnectionAsync();
                try
                {
                    using var lease = SqlitePreparedStatements.Rent(connection, Sql);
                    lease.Statement.Bind(1, "a");
                    Assert.True(lease.Statement.Step());
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }

            await db.Database.OpenConnectionAsync();
            Assert.Equal(2, Assert.Single(SqlitePreparedStatements.Kept(connection)).Reprepares);
            await db.Database.CloseConnectionAsync();
        }
        finally
        {
            ClearPools(connectionString);
        }
    }

    [Fact]
    public void ReadOnlyConnectionString_FileAndMemoryDatabases_ReadOnlyOnlyForFiles()
    {
        Assert.Contains("Mode=ReadOnly", SqliteReadConnections.ReadOnly("Data Source=/tmp/x.db;Pooling=True"), StringComparison.Ordinal);
        Assert.Equal("Data Source=:memory:", SqliteReadConnections.ReadOnly("Data Source=:memory:"));
        Assert.Equal("Data Source=x;Mode=Memory;Cache=Shared", SqliteReadConnections.ReadOnly("Data Source=x;Mode=Memory;Cache=Shared"));
    }

    private static async Task<List<T>> ReadAllAsync<T>(MhaRightsDbContext db)
        where T : class
    {
        var reader = SqliteEntityReader<T>.For(db);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            using var statement = new RawStatement(connection, $"SELECT {reader.Columns} FROM {reader.Table} ORDER BY {reader.Column("Id")}");
            return reader.ReadAll(statement);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A context on the fixture's database through a pooled connection string, as the service runs (the tests' own apps do not pool).</summary>
    private SqliteMhaRightsDbContext PooledContext(out string connectionString)
    {
        connectionString = new SqliteConnectionStringBuilder($"Data Source={data.App.DatabasePath}") { Pooling = true }.ToString();
        return new SqliteMhaRightsDbContext(new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite(connectionString).Options);
    }

    private static void ClearPools(string connectionString)
    {
        // The file's pooled connections (EF's and the read-only ones) closed, so the fixture can delete it.
        foreach (var pooled in new[] { connectionString, SqliteReadConnections.ReadOnly(connectionString) })
        {
            using var connection = new SqliteConnection(pooled);
            SqliteConnection.ClearPool(connection);
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
