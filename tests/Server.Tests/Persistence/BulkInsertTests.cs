using MhaRights.Server.Audit;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Tests.Reporting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// The append path (Persistence/BulkInsert: on SQLite, statements kept on the connection and bound by position)
/// stores exactly what SaveChanges stores: every column of every appended type, as SQLite holds it (type and value),
/// from the seeded multi-patient dataset's rows (nulls and values, every enum in use, UTC times, blobs).
/// </summary>
public sealed class BulkInsertTests(ReportScanDataset data) : IClassFixture<ReportScanDataset>
{
    [SqliteFact]
    public async Task Append_EveryAppendedType_StoresWhatSaveChangesStores()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var patients = await source.Patients.AsNoTracking().ToListAsync();
        var episodes = await source.Episodes.AsNoTracking().ToListAsync();
        var duties = await source.Duties.AsNoTracking().ToListAsync();
        var attempts = await source.Attempts.AsNoTracking().ToListAsync();
        var triggers = await source.ScheduledTriggers.AsNoTracking().ToListAsync();
        var events = await source.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var records = Enumerable.Range(0, 23).Select(i => new IdempotencyRecord
        {
            Caller = $"apiKeys/k{i % 3}",
            Method = "RecordExplanationAttempt",
            RequestId = $"request-{i}",
            RequestHash = new string('a', 64),
            Response = [.. Enumerable.Range(0, i).Select(b => (byte)(b * 37))],
            CreateTime = new DateTime(2026, 12, 7, 13, 0, i, DateTimeKind.Utc).AddTicks(i * 1234567),
        }).ToList();
        // Enough rows of each for whole multi-row blocks and single-row remainders; nulls and values both present.
        Assert.True(attempts.Count > 40 && duties.Count > 40 && events.Count > 200, "the dataset is too small to exercise blocks");
        Assert.Contains(duties, d => d.FirstAttemptTime is null);
        Assert.Contains(duties, d => d.FirstAttemptTime is not null);

        // The patients (not an appended type) go in first, the same way both times, for the foreign keys.
        var viaSaveChanges = await StoreAsync(async db =>
        {
            db.AddRange(patients);
            db.AddRange(episodes);
            db.AddRange(duties);
            db.AddRange(attempts);
            db.AddRange(triggers);
            db.AddRange(events);
            db.AddRange(records);
            await db.SaveChangesAsync();
        });
        var viaAppend = await StoreAsync(async db =>
        {
            db.AddRange(patients);
            await db.SaveChangesAsync();
            await BulkInsert.InsertAsync(db, episodes, CancellationToken.None);
            await BulkInsert.InsertAsync(db, duties, CancellationToken.None);
            await BulkInsert.InsertAsync(db, attempts, CancellationToken.None);
            await BulkInsert.InsertAsync(db, triggers, CancellationToken.None);
            await BulkInsert.InsertAsync(db, events, CancellationToken.None);
            await BulkInsert.InsertAsync(db, records, CancellationToken.None);
        });

        foreach (var (table, rows) in viaSaveChanges)
        {
            Assert.True(rows.Count > 0, $"{table}: no rows stored");
            Assert.Equal(rows, viaAppend[table]);
        }
    }

    [SqliteFact]
    public async Task Append_DuplicateKey_FailsAsSaveChangesDoesAndKeepsTheStatementUsable()
    {
        var record = new IdempotencyRecord { Caller = "c", Method = "m", RequestId = "r", RequestHash = "h", Response = [1], CreateTime = DateTime.UtcNow };
        await StoreAsync(async db =>
        {
            await BulkInsert.InsertAsync(db, [record], CancellationToken.None);
            db.IdempotencyRecords.Add(new IdempotencyRecord { Caller = "c", Method = "m", RequestId = "r", RequestHash = "h", Response = [2], CreateTime = DateTime.UtcNow });
            var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAppendingAsync([typeof(IdempotencyRecord)], CancellationToken.None));
            Assert.True(DbErrors.IsUniqueViolation(failure), failure.ToString());
            db.ChangeTracker.Clear();

            // The kept statement was reset after the failure: the next append through it works.
            await BulkInsert.InsertAsync(db, [new IdempotencyRecord { Caller = "c", Method = "m", RequestId = "r2", RequestHash = "h", Response = [3], CreateTime = DateTime.UtcNow }], CancellationToken.None);
            Assert.Equal(2, await db.IdempotencyRecords.CountAsync());
        });
    }

    /// <summary>Runs <paramref name="write"/> in one transaction on a fresh migrated in-memory database, then reads
    /// every row of the appended tables as SQLite stores it (quote() keeps type and exact value).</summary>
    private static async Task<Dictionary<string, List<string>>> StoreAsync(Func<MhaRightsDbContext, Task> write)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var db = new SqliteMhaRightsDbContext(new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite(connection).Options);
        await db.Database.MigrateAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await write(db);
            await transaction.CommitAsync();
        }

        var stored = new Dictionary<string, List<string>>();
        foreach (var table in new[] { "LegalStatusEpisodes", "RightsDuties", "ExplanationAttempts", "ScheduledTriggers", "AuditEvents", "IdempotencyRecords" })
        {
            var columns = new List<string>();
            await using (var info = connection.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0));
                }
            }

            var rows = new List<string>();
            await using (var select = connection.CreateCommand())
            {
                select.CommandText = $"SELECT {string.Join(" || '|' || ", columns.Select(c => $"quote(\"{c}\")"))} FROM \"{table}\" ORDER BY 1";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add(reader.GetString(0));
                }
            }

            stored[table] = rows;
        }

        return stored;
    }
}
