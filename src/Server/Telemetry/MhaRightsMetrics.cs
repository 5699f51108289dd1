using System.Diagnostics.Metrics;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Telemetry;

/// <summary>
/// The "MhaRights" meter's instruments. Recording on an instrument nobody listens to is a no-op, so callers record
/// unconditionally; the overdue gauge (which queries the database) exists only when telemetry is enabled.
/// </summary>
public sealed partial class MhaRightsMetrics
{
    private static readonly InstrumentAdvice<double> ShortDurations = new()
    {
        // Seconds: sub-millisecond gate waits up to the 5 s write-lock timeout.
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    };

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _overdueRefresh;
    private readonly ILogger<MhaRightsMetrics> _logger;
    private readonly Lock _overdueLock = new();
    private Measurement<long>[] _overdue = [];
    private long _overdueAt = long.MinValue;

    public MhaRightsMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, TelemetryOptions options, ILogger<MhaRightsMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        _scopes = scopes;
        _time = time;
        _overdueRefresh = options.OverdueGaugeRefresh;
        _logger = logger;
        var meter = meters.Create(MhaRightsTelemetry.Name, typeof(MhaRightsMetrics).Assembly.GetName().Version?.ToString());
        RpcDuration = meter.CreateHistogram(
            "rpc.server.call.duration", "s", "Duration of gRPC calls, per service, method and status code.", tags: null, ShortDurations);
        WriteGateWait = meter.CreateHistogram(
            "mharights.write_gate.wait_time", "s", "Time a unit of work queued for the SQLite write gate.", tags: null, ShortDurations);
        GroupCommitBatchSize = meter.CreateHistogram<int>(
            "mharights.group_commit.batch_size", "{unit_of_work}", "Units of work that shared one SQLite COMMIT.", tags: null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        SweeperRuns = meter.CreateCounter<long>("mharights.sweeper.runs", "{run}", "Deadline sweeps run, by outcome.");
        SweeperDuration = meter.CreateHistogram(
            "mharights.sweeper.duration", "s", "Duration of a deadline sweep.", tags: null, ShortDurations);
        SweeperChanges = meter.CreateCounter<long>("mharights.sweeper.changes", "{change}", "Changes made by the deadline sweeper, by kind.");
        if (options.Enabled)
        {
            meter.CreateObservableGauge("mharights.duties.overdue", ObserveOverdue, "{duty}", "Duties currently OVERDUE, by duty kind (cached).");
        }
    }

    public Histogram<double> RpcDuration { get; }

    public Histogram<double> WriteGateWait { get; }

    public Histogram<int> GroupCommitBatchSize { get; }

    public Counter<long> SweeperRuns { get; }

    public Histogram<double> SweeperDuration { get; }

    public Counter<long> SweeperChanges { get; }

    /// <summary>
    /// Called on the exporter's collection thread. A GROUP BY over an indexed state column, at most once per
    /// <see cref="TelemetryOptions.OverdueGaugeRefresh"/>; between refreshes (and on failure) the last counts are
    /// reported again.
    /// </summary>
    private Measurement<long>[] ObserveOverdue()
    {
        lock (_overdueLock)
        {
            if (_overdueAt != long.MinValue && _time.GetElapsedTime(_overdueAt) < _overdueRefresh)
            {
                return _overdue;
            }

            try
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
                var counts = db.Duties.AsNoTracking()
                    .Where(d => d.State == DutyState.Overdue)
                    .GroupBy(d => d.Kind)
                    .Select(g => new { Kind = g.Key, Count = g.LongCount() })
                    .ToList();
                _overdue = [.. counts.Select(c => new Measurement<long>(c.Count, new KeyValuePair<string, object?>("mharights.duty.kind", c.Kind.ToString())))];
                _overdueAt = _time.GetTimestamp();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or ObjectDisposedException)
            {
                // Telemetry must never fail the service: report the last counts and try again next time.
                LogOverdueFailed(_logger, ex.Message);
            }

            return _overdue;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Overdue-duties gauge could not count: {Message}")]
    private static partial void LogOverdueFailed(ILogger logger, string message);
}
