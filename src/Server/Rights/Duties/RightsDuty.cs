using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Rights.Duties;

/// <summary>One statutory information duty instance for one patient (section-132.md §8.1, §8.2).</summary>
public sealed class RightsDuty : IVersioned
{
    public required string Id { get; set; }

    public required string PatientId { get; set; }

    public required string EpisodeId { get; set; }

    public DutyKind Kind { get; set; }

    public DutyState State { get; set; }

    public DutyTrigger Trigger { get; set; }

    public DutyTrigger LastTrigger { get; set; }

    public Provision Provision { get; set; }

    public required string Hospital { get; set; }

    public string? Ward { get; set; }

    public DateTime OpenTime { get; set; }

    public DateTime? DueTime { get; set; }

    public DateTime? NextAttemptTime { get; set; }

    public DateTime? NextReminderTime { get; set; }

    public DateTime? FirstAttemptTime { get; set; }

    public DateTime? UnderstoodTime { get; set; }

    /// <summary>Latest standing attempt that gave the information orally (s132(3)); null until one has.</summary>
    public DateTime? OralGivenTime { get; set; }

    /// <summary>Latest standing attempt that gave the information in writing (s132(3)); null until one has.</summary>
    public DateTime? WrittenGivenTime { get; set; }

    public DateTime? ResolvedTime { get; set; }

    public string? ResolutionNote { get; set; }

    public int AttemptCount { get; set; }

    /// <summary>
    /// Report projection (Reporting/DutyReportFacts): earliest standing UNDERSTOOD attempt by which the information had
    /// been given orally and in writing (s132(3)); null while there is none.
    /// </summary>
    public DateTime? FirstUnderstoodTime { get; set; }

    /// <summary>Report projection: a standing attempt was made for a renewal re-explanation.</summary>
    public bool RenewalAttempted { get; set; }

    /// <summary>Report projection: a standing attempt was made for a tribunal window or automatic reference.</summary>
    public bool TribunalAttempted { get; set; }

    /// <summary>Report projection: latest standing attempt whose outcome shows the information was given (understood, partly, not understood).</summary>
    public DateTime? LatestInformationTime { get; set; }

    public string? SupersededById { get; set; }

    /// <summary>
    /// Set when the authority this duty serves lapsed with nothing recorded: the duty keeps its state (an attempt
    /// made while the authority ran can still be recorded) but stops demanding work - it leaves the worklists and
    /// the sweeper's overdue and reminder steps. Null otherwise.
    /// </summary>
    public DateTime? AuthorityLapsedTime { get; set; }

    public DateTime UpdateTime { get; set; }

    public long Version { get; set; }
}

/// <summary>Values align with mharights.v1.DutyKind.</summary>
public enum DutyKind
{
    Unspecified = 0,
    Section132_1 = 1,
    Section132_2 = 2,
    Section132A = 3,
    Section130D = 4,
    NearestRelativeCopy132 = 5,
    NearestRelativeCopy130D = 6,
    Section133DischargeNotice = 7,
    TribunalReference68_7 = 8,
}

/// <summary>Values align with mharights.v1.RightsDuty.State.</summary>
public enum DutyState
{
    Unspecified = 0,
    Due = 1,
    Attempted = 2,
    ReattemptScheduled = 3,
    Understood = 4,
    ReminderDue = 5,
    Overdue = 6,
    Sent = 7,
    NotRequired = 8,
    Superseded = 9,
    Closed = 10,
    NotApplicable = 11,
    Missed = 12,
}

/// <summary>Why a duty opened or re-explanation was raised (section-132.md §8.3). Values align with
/// mharights.v1.DutyTrigger.</summary>
public enum DutyTrigger
{
    Unspecified = 0,
    DetentionStart = 1,
    ChangeOfProvision = 2,
    Transfer = 3,
    CtoMade = 4,
    CtoRecall = 5,
    CtoRevoked = 6,
    Renewal = 7,
    TribunalWindow = 8,
    AutomaticReference = 9,
    Part4ThreeMonths = 10,
    PatientRequest = 11,
    NotUnderstood = 12,
    Periodic = 13,
    ChangeOfCircumstances = 14,
    DischargePlanned = 15,
}
