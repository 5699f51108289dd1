using MhaRights.Server.Common;
using MhaRights.Server.Hosting;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Telemetry;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Rights;

/// <summary>Configuration section "Sweeper".</summary>
public sealed class SweeperOptions
{
    public const string SectionName = "Sweeper";

    public bool Enabled { get; set; } = true;

    /// <summary>How often to look for work. Short sections (s5(4): 6 hours, 2-hour SLA) need minutes, not hours.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows changed per transaction, so a catch-up after downtime never holds the writer for long.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int TriggersFired, int RemindersDue, int Overdue, int Lapsed = 0)
{
    public int Total => TriggersFired + RemindersDue + Overdue + Lapsed;
}

/// <summary>
/// Moves duties on as time passes: fires scheduled re-explanation triggers (tribunal windows, references, Part 4),
/// raises periodic reminders and marks deadlines passed as OVERDUE, each as an audited transition by the system.
/// Everything due up to "now" is processed, so a restart after downtime catches up. Two server instances sharing
/// one database cannot double-transition: every change is checked against the row version and a losing batch
/// rolls back and is re-read on the next pass.
/// </summary>
public sealed partial class DeadlineSweeper(IServiceScopeFactory scopes, TimeProvider time, SweeperOptions options, ILogger<DeadlineSweeper> logger, MhaRightsMetrics metrics)
    : BackgroundService
{
    /// <summary>Runs passes until nothing is left to do at the current time.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        using var activity = MhaRightsTelemetry.Source.StartActivity(MhaRightsTelemetry.SweepSpan);
        var started = time.GetTimestamp();
        try
        {
            var total = await SweepCoreAsync(cancellationToken);
            RecordSweep(activity, started, "success", total);
            return total;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            RecordSweep(activity, started, "failure", null);
            throw;
        }
    }

    private void RecordSweep(System.Diagnostics.Activity? activity, long started, string outcome, SweepResult? result)
    {
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        metrics.SweeperRuns.Add(1, outcomeTag);
        metrics.SweeperDuration.Record(time.GetElapsedTime(started).TotalSeconds, outcomeTag);
        if (result is null)
        {
            return;
        }

        foreach (var (kind, count) in (ReadOnlySpan<(string, int)>)[("trigger_fired", result.TriggersFired), ("reminder_due", result.RemindersDue), ("overdue", result.Overdue), ("lapsed", result.Lapsed)])
        {
            if (count > 0)
            {
                metrics.SweeperChanges.Add(count, new KeyValuePair<string, object?>("mharights.change.kind", kind));
            }

            activity?.SetTag("mharights.sweep." + kind, count);
        }
    }

    private async Task<SweepResult> SweepCoreAsync(CancellationToken cancellationToken)
    {
        var total = new SweepResult(0, 0, 0);
        for (var pass = 0; pass < 10_000; pass++)
        {
            SweepResult result;
            try
            {
                result = await SweepBatchAsync(cancellationToken);
            }
            catch (Exception ex) when (LostRace(ex))
            {
                // Another instance changed a row of this batch first (server databases have no write gate): the
                // batch was rolled back whole; the next pass re-reads what is still due.
                LogContended(logger, ex.Message);
                continue;
            }

            total = new SweepResult(total.TriggersFired + result.TriggersFired, total.RemindersDue + result.RemindersDue, total.Overdue + result.Overdue, total.Lapsed + result.Lapsed);
            if (result.Total == 0)
            {
                break;
            }
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        // Another instance got there first (or held the lock): re-read on the next pass.
        await PeriodicWork.RunAsync(
            time,
            options.Interval,
            async ct =>
            {
                var result = await SweepAsync(ct);
                if (result.Total > 0)
                {
                    LogSwept(logger, result.TriggersFired, result.RemindersDue, result.Overdue, result.Lapsed);
                }
            },
            ex => ex is ConcurrentModificationException or DbUpdateException or System.Data.Common.DbException,
            ex => LogContended(logger, ex.Message),
            stoppingToken);
    }

    /// <summary>A conflict with another writer (not a failing database, which must not be retried in a tight loop).</summary>
    private static bool LostRace(Exception ex) => ex is ConcurrentModificationException or DbUpdateConcurrencyException || DbErrors.IsWriteConflict(ex);

    private async Task<SweepResult> SweepBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<MhaRightsDbContext>();
        var lifecycle = services.GetRequiredService<RightsLifecycle>();
        var legalStatus = services.GetRequiredService<LegalStatusLifecycle>();
        var unitOfWork = services.GetRequiredService<UnitOfWork>();
        var now = time.GetUtcNow().UtcDateTime;
        var batch = options.BatchSize;
        var result = new SweepResult(0, 0, 0);

        await unitOfWork.ExecuteSystemAsync(async ct =>
        {
            // 1. Dated triggers, oldest first, each raised at its own time so deadlines are right after a catch-up.
            var triggers = await db.ScheduledTriggers
                .Where(t => t.FiredTime == null && !t.Cancelled && t.FireTime <= now)
                .OrderBy(t => t.FireTime)
                .Take(batch)
                .ToListAsync(ct);
            foreach (var trigger in triggers)
            {
                trigger.FiredTime = now;
                await lifecycle.RaiseReexplanationAsync(trigger.PatientId, trigger.Trigger, trigger.FireTime, trigger.Label, ct);
            }

            // 2. Periodic reminders (DHCFT: 3-monthly in-patient, 6-monthly CTO; section-132.md §4).
            var reminders = await db.Duties
                .Where(d => d.State == DutyState.Understood && d.NextReminderTime != null && d.NextReminderTime <= now && d.AuthorityLapsedTime == null)
                .OrderBy(d => d.NextReminderTime)
                .Take(batch)
                .ToListAsync(ct);
            foreach (var duty in reminders)
            {
                var at = duty.NextReminderTime!.Value;
                duty.DueTime = at + lifecycle.Policy.SlaFor(duty.Provision).ToTimeSpan();
                duty.LastTrigger = DutyTrigger.Periodic;
                duty.UpdateTime = now;
                await DutyWorkflow.For(lifecycle.Context(duty, cause: nameof(DutyTrigger.Periodic))).FireAsync(DutyEvent.ReminderFallsDue, ct);
                duty.NextReminderTime = null;
            }

            // 3. Deadlines passed.
            var overdue = await db.Duties
                .Where(d => (d.State == DutyState.Due || d.State == DutyState.ReminderDue) && d.DueTime != null && d.DueTime <= now && d.AuthorityLapsedTime == null)
                .OrderBy(d => d.DueTime)
                .Take(batch)
                .ToListAsync(ct);
            foreach (var duty in overdue)
            {
                duty.UpdateTime = now;
                var context = lifecycle.Context(duty, reason: $"Deadline {LondonTime.Format(duty.DueTime)} passed.");
                if (DutyRules.IsNotice(duty.Kind))
                {
                    await NoticeWorkflow.For(context).FireAsync(NoticeEvent.DeadlinePassed, ct);
                }
                else
                {
                    await DutyWorkflow.For(context).FireAsync(DutyEvent.DeadlinePassed, ct);
                }
            }

            // 4. Authorities past their end with nothing recorded (s4/s5 72h, s5(4) 6h, s135/136 24h, s17E 72h,
            // s2 28 days, s3/s37/CTO on the renewal date): flagged lapsed, never left silently ACTIVE. After step 3,
            // so a duty whose deadline passed before the lapse is recorded as overdue first.
            var lapsed = await db.Episodes
                .Where(e => (e.State == EpisodeState.Active || e.State == EpisodeState.Recalled) && e.LapsedTime == null && e.ExpiryTime != null && e.ExpiryTime <= now)
                .OrderBy(e => e.ExpiryTime)
                .Take(batch)
                .ToListAsync(ct);
            foreach (var episode in lapsed)
            {
                await legalStatus.MarkLapsedAsync(episode, ct);
            }

            result = new SweepResult(triggers.Count, reminders.Count, overdue.Count, lapsed.Count);
        }, cancellationToken);

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline sweep: {Triggers} triggers fired, {Reminders} reminders due, {Overdue} duties overdue, {Lapsed} authorities lapsed")]
    private static partial void LogSwept(ILogger logger, int triggers, int reminders, int overdue, int lapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline sweep lost a race with another instance and will retry: {Message}")]
    private static partial void LogContended(ILogger logger, string message);
}
