using MhaRights.Server.Common;
using MhaRights.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Persistence;

/// <summary>Configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a request_id is remembered; after it the same id is a new request (AIP-155 allows expiry).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired records are deleted.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    public bool SweepEnabled { get; set; } = true;
}

/// <summary>
/// Deletes idempotency records older than the retention period, so stored responses (which may name patients)
/// are not kept forever. Runs as a system write through the unit of work, so on SQLite it joins the group commit
/// instead of competing with it for the write lock.
/// </summary>
public sealed partial class IdempotencyRetention(IServiceScopeFactory scopes, TimeProvider time, IdempotencyOptions options, ILogger<IdempotencyRetention> logger)
    : BackgroundService
{
    /// <summary>Deletes every record created before now − retention; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var deleted = 0;
        await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(async ct =>
            deleted = await db.IdempotencyRecords.Where(r => r.CreateTime < cutoff).ExecuteDeleteAsync(ct), cancellationToken);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SweepEnabled)
        {
            return;
        }

        // Busy or unavailable: the next pass deletes what this one could not.
        await PeriodicWork.RunAsync(
            time,
            options.SweepInterval,
            async ct =>
            {
                var deleted = await SweepAsync(ct);
                if (deleted > 0)
                {
                    LogSwept(logger, deleted);
                }
            },
            ex => ex is DbUpdateException or Microsoft.Data.Sqlite.SqliteException or WriteNotCommittedException,
            ex => LogFailed(logger, ex.Message),
            stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency records")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency retention sweep failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
