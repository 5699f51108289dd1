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

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
