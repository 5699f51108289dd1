using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Rights.Duties;

/// <summary>
/// An immutable record of one attempt to explain rights (section-132.md §2.4). Corrections create a new row and
/// mark this one Corrected; voids mark it Voided. Only those state fields ever change.
/// </summary>
public sealed class ExplanationAttempt : IVersioned
{
    public required string Id { get; set; }

    public required string DutyId { get; set; }

    public required string PatientId { get; set; }

    public DateTime AttemptTime { get; set; }

    public required string ExplainedBy { get; set; }

    public required string ExplainedByRole { get; set; }

    public Provision Provision { get; set; }

    public DutyTrigger Trigger { get; set; }

    public bool OralGiven { get; set; }

    public bool WrittenGiven { get; set; }

    public string? LeafletId { get; set; }

    public string? LeafletVersion { get; set; }

    public string? LeafletLanguage { get; set; }

    public bool InterpreterUsed { get; set; }

    public string? AccessibleFormat { get; set; }

    public AttemptOutcome Outcome { get; set; }

    public string? CapacityNote { get; set; }

    public bool ImhaInformationGiven { get; set; }

    public NearestRelativeSharing NearestRelativeSharing { get; set; }

    public DateTime? NextAttemptTime { get; set; }

    /// <summary>How each recorded communication need was met, as JSON (CommunicationNeedResponse list).</summary>
    public string? CommunicationNeedsJson { get; set; }

    /// <summary>Count of communication needs recorded as not met (for the compliance report).</summary>
    public int UnmetCommunicationNeeds { get; set; }

    public string? Note { get; set; }

    public AttemptState State { get; set; }

    public string? CorrectsId { get; set; }

    public string? CorrectedById { get; set; }

    public string? VoidReason { get; set; }

    /// <summary>When it was voided or corrected; reports "as of" an earlier date still count it as standing.</summary>
    public DateTime? VoidTime { get; set; }

    public required string RecordedByPrincipal { get; set; }

    public required string RecordedByRole { get; set; }

    public string? RecordedByDisplayName { get; set; }

    public DateTime CreateTime { get; set; }

    public long Version { get; set; }
}

/// <summary>Values align with mharights.v1.AttemptOutcome.</summary>
public enum AttemptOutcome
{
    Unspecified = 0,
    Understood = 1,
    PartlyUnderstood = 2,
    NotUnderstood = 3,
    Declined = 4,
    Unable = 5,
}

/// <summary>Values align with mharights.v1.NearestRelativeSharing.</summary>
public enum NearestRelativeSharing
{
    Unspecified = 0,
    Agrees = 1,
    Objects = 2,
    NoView = 3,
}

/// <summary>Values align with mharights.v1.ExplanationAttempt.State.</summary>
public enum AttemptState
{
    Unspecified = 0,
    Recorded = 1,
    Corrected = 2,
    Voided = 3,
}
