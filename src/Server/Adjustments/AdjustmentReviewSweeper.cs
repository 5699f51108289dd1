using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;

namespace MhaRights.Server.Adjustments;

/// <summary>
/// The scheduler of domain notes §7.2 ("any → REVIEW_DUE: review interval elapsed"): marks ACTIVE records whose
/// review date passed as REVIEW_DUE, as audited system transitions. Runs with the rights sweeper's settings
/// (section "Sweeper") so one switch stops both.
/// </summary>
public sealed partial class AdjustmentReviewSweeper(IServiceScopeFactory scopes, SweeperOptions options, ILogger<AdjustmentReviewSweeper> logger)
    : BackgroundService
{
    /// <summary>Marks every review due up to now; returns how many records changed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var lifecycle = scope.ServiceProvider.GetRequiredService<AdjustmentLifecycle>();
            var changed = 0;
            await unitOfWork.ExecuteSystemAsync(async ct => changed = await lifecycle.MarkReviewsDueAsync(options.BatchSize, ct), cancellationToken);
            total += changed;
            if (changed < options.BatchSize)
            {
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A lost race with another instance (or a transient database error) is retried on the next tick.
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adjustment review sweep failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
