using MhaRights.Server.Audit;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MhaRights.Server.Persistence;

/// <summary>
/// The service's database. Provider-neutral: SqliteMhaRightsDbContext, PostgreSqlMhaRightsDbContext and
/// SqlServerMhaRightsDbContext exist so each provider has its own migrations (and its own audit-tail lock).
/// </summary>
public abstract class MhaRightsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<LegalStatusEpisode> Episodes => Set<LegalStatusEpisode>();

    public DbSet<RightsDuty> Duties => Set<RightsDuty>();

    public DbSet<ExplanationAttempt> Attempts => Set<ExplanationAttempt>();

    public DbSet<ScheduledTrigger> ScheduledTriggers => Set<ScheduledTrigger>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Security.ApiKey> ApiKeys => Set<Security.ApiKey>();

    /// <summary>
    /// Gives every changed row its next version (once: a row already stamped keeps it), so a response built before
    /// the save carries the etags the save writes. EF's concurrency check still uses the version that was read.
    /// </summary>
    public void StampVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            // Through the property entry, so the change is recorded even when change detection does not run again.
            var version = entry.Property(e => e.Version);
            if (entry.State == EntityState.Modified && version.CurrentValue == version.OriginalValue)
            {
                version.CurrentValue++;
            }
            else if (entry.State == EntityState.Added && version.CurrentValue == 0)
            {
                version.CurrentValue = 1;
            }
        }
    }

    /// <summary>Stamps versions (see <see cref="StampVersions"/>) and enforces the append-only audit trail.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveCoreAsync([], acceptAllChangesOnSuccess, cancellationToken);

    /// <summary>
    /// Raised with the entries a save is about to write itself (rows appended by <see cref="SaveChangesAppendingAsync"/>,
    /// updates run by <see cref="SqliteUpdates"/>), before it does: SavingChanges comes later and no longer sees them as
    /// added or modified.
    /// </summary>
    public event EventHandler<IReadOnlyList<EntityEntry>>? WritingDirectly;

    /// <summary>
    /// SaveChangesAsync for a unit that adds many rows (an import batch): the added entities of the
    /// <paramref name="appendOnly"/> types are first inserted with multi-row statements (BulkInsert), in the order
    /// given (parents first, as the foreign keys need), and then tracked as saved, so later changes to them are
    /// ordinary updates; everything else is saved as usual. The rows stored are those SaveChanges would store.
    /// </summary>
    public Task<int> SaveChangesAppendingAsync(IReadOnlyList<Type> appendOnly, CancellationToken cancellationToken) =>
        SaveCoreAsync(appendOnly, acceptAllChangesOnSuccess: true, cancellationToken);

    private async Task<int> SaveCoreAsync(IReadOnlyList<Type> appendOnly, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        // One scan for changes per save: Entries() and SaveChanges would each compare every tracked entity with its
        // snapshot again (an import batch tracks thousands).
        ChangeTracker.DetectChanges();
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            StampVersions();
            foreach (var entry in ChangeTracker.Entries<AuditEvent>())
            {
                // The audit trail is append-only: refuse anything but inserts at the model boundary.
                if (entry.State is EntityState.Modified or EntityState.Deleted)
                {
                    throw new InvalidOperationException("Audit events are append-only.");
                }
            }

            if (appendOnly.Count > 0)
            {
                await AppendAsync(appendOnly, cancellationToken);
            }

            UpdateDirectly();
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task AppendAsync(IReadOnlyList<Type> appendOnly, CancellationToken cancellationToken)
    {
        var added = ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        foreach (var type in appendOnly)
        {
            var rows = added.FindAll(e => e.Metadata.ClrType == type);
            // A row whose parent is still to be inserted by SaveChanges is left to SaveChanges, which orders the
            // inserts as the foreign keys need; appended parents are already saved (Unchanged) by now.
            var parents = Model.FindEntityType(type)?.GetForeignKeys().Select(fk => fk.PrincipalEntityType.ClrType).ToHashSet() ?? [];
            if (rows.Count == 0 || added.Exists(e => e.State == EntityState.Added && parents.Contains(e.Metadata.ClrType)))
            {
                continue;
            }

            WritingDirectly?.Invoke(this, rows);
            try
            {
                await BulkInsert.InsertAsync(this, type, rows.ConvertAll(e => e.Entity), cancellationToken);
            }
            catch (System.Data.Common.DbException ex)
            {
                // As SaveChanges reports it, so a unique key or a full disk is handled the same way either way.
                throw new DbUpdateException($"An error occurred while appending {type.Name} rows.", ex, rows);
            }

            foreach (var entry in rows)
            {
                entry.State = EntityState.Unchanged;
            }
        }
    }

    /// <summary>When only updates are left (SQLite), runs them as kept statements (<see cref="SqliteUpdates"/>).</summary>
    private void UpdateDirectly()
    {
        if (!Database.IsSqlite())
        {
            return;
        }

        var modified = new List<EntityEntry>();
        foreach (var entry in ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Modified:
                    modified.Add(entry);
                    break;
                case EntityState.Added or EntityState.Deleted:
                    return;
            }
        }

        if (modified.Count > 0)
        {
            SqliteUpdates.Run(this, modified, () => WritingDirectly?.Invoke(this, modified));
        }
    }

    /// <summary>
    /// Serialises appends to the audit hash chain across every server process on the database, until the current
    /// transaction ends: the next sequence and previous hash must be read after the last writer committed. SQLite
    /// needs nothing here (one writer at a time: the write gate and the file lock); server databases override it.
    /// </summary>
    public virtual Task LockAuditTailAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync so versions and audit rules apply.");

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Every DateTime is UTC in storage; say so when reading back (SQLite loses DateTimeKind).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MhaRightsDbContext).Assembly);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The embedded default database.</summary>
public sealed class SqliteMhaRightsDbContext(DbContextOptions<SqliteMhaRightsDbContext> options) : MhaRightsDbContext(options);

/// <summary>The production database for trust deployments.</summary>
public sealed class SqlServerMhaRightsDbContext(DbContextOptions<SqlServerMhaRightsDbContext> options) : MhaRightsDbContext(options)
{
    /// <summary>An exclusive application lock owned by the transaction (released at commit or rollback).</summary>
    public override Task LockAuditTailAsync(CancellationToken cancellationToken) =>
        Database.ExecuteSqlRawAsync(
            "DECLARE @granted int; " +
            "EXEC @granted = sp_getapplock @Resource = N'MhaRights.AuditTail', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1; " +
            "IF @granted < 0 THROW 51000, 'The audit tail lock was not granted (deadlock victim); retry.', 1;",
            cancellationToken);
}

/// <summary>The open-source production database (the one .ci/run tests against).</summary>
public sealed class PostgreSqlMhaRightsDbContext(DbContextOptions<PostgreSqlMhaRightsDbContext> options) : MhaRightsDbContext(options)
{
    /// <summary>Key of the transaction-level advisory lock that guards the audit tail ("MHAR" + 1).</summary>
    public const long AuditTailLockKey = 0x4D48_4152_0001;

    /// <summary>A transaction-level advisory lock: waits for the holder's commit or rollback, then is released by ours.</summary>
    public override Task LockAuditTailAsync(CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditTailLockKey})", cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // Byte-order comparison and ordering, whatever the database's locale: identifiers, page tokens and
        // lookups behave as on SQLite and in C# (ordinal). DateTime maps to timestamptz; the UTC converter above
        // gives Npgsql the UTC kind it requires.
        configurationBuilder.Properties<string>().UseCollation("C");
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Index filters are written with SQL Server's [brackets] (SQLite accepts them too); PostgreSQL quotes "so".
        foreach (var index in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()))
        {
            if (index.GetFilter() is { } filter)
            {
                index.SetFilter(System.Text.RegularExpressions.Regex.Replace(filter, @"\[([^\]]+)\]", "\"$1\""));
            }
        }
    }
}
