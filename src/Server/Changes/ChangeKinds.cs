using MhaRights.Contracts.V1;
using AuditEvent = MhaRights.Server.Audit.AuditEvent;

namespace MhaRights.Server.Changes;

/// <summary>
/// Which kind of change an audit event is: the one table the change stream filters on. First matching row wins,
/// so the specific kinds (overdue, re-attempt due...) come before the catch-alls of their resource.
/// </summary>
public static class ChangeKinds
{
    private static readonly (ChangeKind Kind, Func<AuditEvent, bool> Matches)[] Table =
    [
        (ChangeKind.DutyOverdue, e => IsDuty(e) && e.ToState == "Overdue"),
        (ChangeKind.ReattemptDue, e => IsDuty(e) && e.ToState == "ReattemptScheduled"),
        (ChangeKind.ReexplanationDue, e => IsDuty(e) && e.ToState == "ReminderDue"),
        (ChangeKind.DutyOpened, e => IsDuty(e) && e.Action == "OpenDuty"),
        (ChangeKind.DutyChanged, IsDuty),
        // Lapsed authority is recorded by the legal-status rules as a transition or action naming it.
        (ChangeKind.EpisodeLapsed, e => IsEpisode(e) && (Names(e.ToState, "Lapsed") || Names(e.Action, "Lapse"))),
        (ChangeKind.EpisodeEnded, e => IsEpisode(e) && e.ToState == "Ended"),
        (ChangeKind.EpisodeChanged, IsEpisode),
        (ChangeKind.AdjustmentConfirmed, e => IsAdjustment(e) && e.Action == "Activate"),
        (ChangeKind.AdjustmentChanged, IsAdjustment),
        (ChangeKind.PatientChanged, e => e.Resource.StartsWith("patients/", StringComparison.Ordinal)),
    ];

    /// <summary>The kind of <paramref name="e"/>, or null when it is not a change to stream (reads, API keys).</summary>
    public static ChangeKind? Classify(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Audited reads ("View") record access, not change; events without a patient (API keys) are not clinical.
        if (e.PatientId is null || e.Action == "View")
        {
            return null;
        }

        foreach (var (kind, matches) in Table)
        {
            if (matches(e))
            {
                return kind;
            }
        }

        return null;
    }

    private static bool IsDuty(AuditEvent e) => e.Resource.Contains("/duties/", StringComparison.Ordinal);

    private static bool IsEpisode(AuditEvent e) => e.Resource.Contains("/episodes/", StringComparison.Ordinal);

    private static bool IsAdjustment(AuditEvent e) => e.Resource.Contains("/adjustmentRecord", StringComparison.Ordinal);

    private static bool Names(string? value, string word) => value?.Contains(word, StringComparison.Ordinal) == true;
}
