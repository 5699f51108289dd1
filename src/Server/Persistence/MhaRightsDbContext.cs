using MhaRights.Server.Audit;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MhaRights.Server.Persistence;

/// <summary>
/// The service's database. Provider-neutral: SqliteMhaRightsDbContext and SqlServerMhaRightsDbContext exist
/// only so each provider has its own migrations.
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
            if (entry.State == EntityState.Modified && entry.Property(e => e.Version) is var version && version.CurrentValue == version.OriginalValue)
            {
                entry.Entity.Version++;
            }
            else if (entry.State == EntityState.Added && entry.Entity.Version == 0)
            {
                entry.Entity.Version = 1;
            }
        }
    }

    /// <summary>Stamps versions (see <see cref="StampVersions"/>) and enforces the append-only audit trail.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
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

        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

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
public sealed class SqlServerMhaRightsDbContext(DbContextOptions<SqlServerMhaRightsDbContext> options) : MhaRightsDbContext(options);
