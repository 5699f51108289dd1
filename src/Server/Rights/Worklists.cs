using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Rights;

/// <summary>MHA-office worklists (section-132.md §8.5): which duties, in which states, ordered by which time.</summary>
public enum WorklistKind
{
    Unspecified = 0,
    ExplanationsDue = 1,
    ExplanationsOverdue = 2,
    ReattemptsDue = 3,
    RemindersDue = 4,
    NearestRelativeCopies = 5,
    DischargeNotices = 6,
}

/// <summary>One worklist row: the duty with the patient it concerns and the time that orders it.</summary>
public sealed record WorklistRow(RightsDuty Duty, string PatientLocalId, string PatientDisplayName, DateTime ActionTime);

/// <summary>The worklist definitions as data, and one keyset-paginated query that serves them all.</summary>
public sealed class Worklists(MhaRightsDbContext db)
{
    private static readonly DutyKind[] Explanations = [DutyKind.Section132_1, DutyKind.Section132_2, DutyKind.Section132A, DutyKind.Section130D];

    private static readonly Dictionary<WorklistKind, (DutyKind[] Kinds, DutyState[] States, bool ByNextAttempt)> Definitions = new()
    {
        [WorklistKind.ExplanationsDue] = (Explanations, [DutyState.Due], false),
        [WorklistKind.ExplanationsOverdue] = (Explanations, [DutyState.Overdue], false),
        [WorklistKind.ReattemptsDue] = (Explanations, [DutyState.ReattemptScheduled], true),
        [WorklistKind.RemindersDue] = (Explanations, [DutyState.ReminderDue], false),
        [WorklistKind.NearestRelativeCopies] = ([DutyKind.NearestRelativeCopy132, DutyKind.NearestRelativeCopy130D], [DutyState.Due, DutyState.Overdue], false),
        [WorklistKind.DischargeNotices] = ([DutyKind.Section133DischargeNotice], [DutyState.Due, DutyState.Overdue], false),
    };

    /// <summary>Most urgent first; a re-attempt appears once its planned time has come.</summary>
    public async Task<IReadOnlyList<WorklistRow>> ListAsync(
        WorklistKind kind, string? hospital, string? ward, DateTime now, (DateTime Time, string Id)? after, int take, CancellationToken cancellationToken)
    {
        var (kinds, states, byNextAttempt) = Definitions[kind];
        var duties = db.Duties.AsNoTracking().Where(d => kinds.Contains(d.Kind) && states.Contains(d.State));
        if (hospital is not null)
        {
            duties = duties.Where(d => d.Hospital == hospital);
        }

        if (ward is not null)
        {
            duties = duties.Where(d => d.Ward == ward);
        }

        var rows = duties.Select(d => new { Duty = d, Time = byNextAttempt ? d.NextAttemptTime : d.DueTime });
        if (byNextAttempt)
        {
            rows = rows.Where(r => r.Time <= now);
        }

        if (after is { } position)
        {
            rows = rows.Where(r => r.Time > position.Time || (r.Time == position.Time && string.Compare(r.Duty.Id, position.Id) > 0));
        }

        var page = await rows
            .Join(db.Patients, r => r.Duty.PatientId, p => p.Id, (r, p) => new { r.Duty, r.Time, p.LocalId, p.GivenName, p.FamilyName })
            .OrderBy(r => r.Time).ThenBy(r => r.Duty.Id)
            .Take(take)
            .ToListAsync(cancellationToken);
        return page
            .Select(r => new WorklistRow(r.Duty, r.LocalId, string.Join(' ', new[] { r.GivenName, r.FamilyName }.Where(s => !string.IsNullOrEmpty(s))), r.Time ?? r.Duty.OpenTime))
            .ToList();
    }
}
