using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Reporting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// Updates run as statements kept on the SQLite connection (Persistence/SqliteUpdates) store what SaveChanges stores,
/// keep the etag check, and leave the context as SaveChanges leaves it.
/// </summary>
public sealed class SqliteUpdatesTests(ReportScanDataset data) : IClassFixture<ReportScanDataset>
{
    [SqliteFact]
    public async Task Update_ModifiedDutiesAndEpisodes_StoresWhatSaveChangesStores()
    {
        var viaSaveChanges = await UpdateAsync(inTransaction: false);
        var direct = await UpdateAsync(inTransaction: true);

        Assert.False(viaSaveChanges.Direct, "SaveChanges' path ran kept UPDATE statements");
        Assert.True(direct.Direct, "the kept UPDATE statements were not used");
        Assert.Equal(viaSaveChanges.Rows, direct.Rows);
    }

    [SqliteFact]
    public async Task Update_RowChangedSinceRead_FailsWithConcurrencyAndWritesNothing()
    {
        await using var db = await SeedAsync();
        var duty = await db.Duties.OrderBy(d => d.Id).FirstAsync();
        var note = duty.ResolutionNote;
        await db.Database.ExecuteSqlRawAsync("UPDATE \"RightsDuties\" SET \"Version\" = \"Version\" + 1 WHERE \"Id\" = {0}", duty.Id);

        await using var transaction = await db.Database.BeginTransactionAsync();
        duty.ResolutionNote = "changed by a writer that read an old version";
        var failure = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        Assert.Equal(duty.Id, Assert.IsType<MhaRights.Server.Rights.Duties.RightsDuty>(Assert.Single(failure.Entries).Entity).Id);
        await transaction.RollbackAsync();

        db.ChangeTracker.Clear();
        Assert.Equal(note, (await db.Duties.AsNoTracking().SingleAsync(d => d.Id == duty.Id)).ResolutionNote);
    }

    [SqliteFact]
    public async Task Update_SavedTwiceInOneTransaction_SecondSaveChecksTheFirstSavesVersion()
    {
        await using var db = await SeedAsync();
        var duty = await db.Duties.OrderBy(d => d.Id).FirstAsync();
        var version = duty.Version;

        await using var transaction = await db.Database.BeginTransactionAsync();
        duty.ResolutionNote = "first";
        await db.SaveChangesAsync();
        duty.ResolutionNote = "second";
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        db.ChangeTracker.Clear();
        var stored = await db.Duties.AsNoTracking().SingleAsync(d => d.Id == duty.Id);
        Assert.Equal(("second", version + 2), (stored.ResolutionNote, stored.Version));
    }

    /// <summary>Copies the dataset's episodes and duties into a fresh database, changes half the columns of every row
    /// (values taken from the next row: nulls, enums, times) and saves, in a transaction or not.</summary>
    private async Task<(List<string> Rows, bool Direct)> UpdateAsync(bool inTransaction)
    {
        await using var db = await SeedAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var duties = await db.Duties.OrderBy(d => d.Id).ToListAsync();
        var episodes = await db.Episodes.OrderBy(e => e.Id).ToListAsync();
        Mutate(db, duties);
        Mutate(db, episodes);

        if (inTransaction)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        else
        {
            await db.SaveChangesAsync();
        }

        var direct = SqlitePreparedStatements.Kept(connection).Any(s => s.Sql.StartsWith("UPDATE", StringComparison.Ordinal));
        var rows = new List<string>();
        foreach (var table in new[] { "RightsDuties", "LegalStatusEpisodes" })
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT (SELECT group_concat(name, ',') FROM pragma_table_info('{table}')), * FROM \"{table}\" ORDER BY \"Id\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetDataTypeName(i)}:{reader.GetValue(i)}")));
            }
        }

        Assert.Contains(db.ChangeTracker.Entries(), e => e.State == EntityState.Unchanged);
        Assert.DoesNotContain(db.ChangeTracker.Entries(), e => e.State != EntityState.Unchanged);
        return (rows, direct);
    }

    private static void Mutate<T>(MhaRightsDbContext db, List<T> rows)
        where T : class
    {
        Assert.True(rows.Count > 10, "too few rows to mutate");
        var properties = db.Model.FindEntityType(typeof(T))!.GetProperties()
            .Where(p => !p.IsKey() && !p.IsForeignKey() && !p.IsConcurrencyToken).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var entry = db.Entry(rows[i]);
            var next = db.Entry(rows[(i + 1) % rows.Count]);
            for (var p = i % 2; p < properties.Count; p += 2)
            {
                entry.Property(properties[p].Name).CurrentValue = next.Property(properties[p].Name).CurrentValue;
            }
        }
    }

    /// <summary>A fresh in-memory database (open for the context's life) with the dataset's patients, episodes and duties.</summary>
    private async Task<SqliteMhaRightsDbContext> SeedAsync()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var db = new SqliteMhaRightsDbContext(new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite("Data Source=:memory:").Options);
        await db.Database.OpenConnectionAsync();
        await db.Database.MigrateAsync();
        db.AddRange(await source.Patients.AsNoTracking().ToListAsync());
        db.AddRange(await source.Episodes.AsNoTracking().ToListAsync());
        db.AddRange(await source.Duties.AsNoTracking().ToListAsync());
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return db;
    }
}
