using MhaRights.Server.Persistence;

namespace MhaRights.Server.Adjustments;

/// <summary>
/// The patient's local reasonable-adjustment record (the flag), the trust's source of truth (domain notes §7 design
/// stance, §7.3). One per patient; a patient without one is in the notes' NONE state. Three orthogonal states: the
/// lifecycle, national sharing and review (§7.1).
/// </summary>
public sealed class AdjustmentRecord : IVersioned
{
    public required string Id { get; set; }

    public required string PatientId { get; set; }

    public AdjustmentRecordState State { get; set; }

    public AdjustmentSharingState SharingState { get; set; } = AdjustmentSharingState.NotShared;

    public AdjustmentReviewState ReviewState { get; set; }

    public AdjustmentIdentificationSource IdentificationSource { get; set; }

    public string? IdentificationNote { get; set; }

    /// <summary>Who identified the need, and when (the last identification when a record was reopened).</summary>
    public AdjustmentActor Identified { get; set; } = new();

    /// <summary>The clinician's confirmation of the Equality Act threshold (SNOMED CT 1326341000000105, §1.3).</summary>
    public AdjustmentActor ThresholdConfirmed { get; set; } = new();

    public AdjustmentNhsUser ThresholdConfirmedByNhsUser { get; set; } = new();

    /// <summary>The current national-sharing decision (§3.1 design consequence); history is in the audit log.</summary>
    public AdjustmentSharingDecision SharingDecision { get; set; } = new();

    public DateTime? ReviewDueTime { get; set; }

    public AdjustmentActor LastReviewed { get; set; } = new();

    /// <summary>Why the whole record ended; empty unless REMOVED or ENTERED_IN_ERROR.</summary>
    public AdjustmentRemoval Removal { get; set; } = new();

    public AdjustmentNationalSync NationalSync { get; set; } = new();

    public DateTime CreateTime { get; set; }

    public DateTime UpdateTime { get; set; }

    public long Version { get; set; }
}

/// <summary>
/// One adjustment, impairment or underlying condition (§7.3). Never edited: an edit removes it and creates a new item
/// that names it in <see cref="SupersedesId"/> (§3.3, §7.1).
/// </summary>
public sealed class AdjustmentItem : IVersioned
{
    public required string Id { get; set; }

    public required string PatientId { get; set; }

    public required string RecordId { get; set; }

    public AdjustmentItemKind Kind { get; set; }

    public AdjustmentItemState State { get; set; } = AdjustmentItemState.Active;

    /// <summary>Adjustment category "001".."011", stored per item because nine codes sit in two categories (§2.4).</summary>
    public string? CategoryCode { get; set; }

    /// <summary>SNOMED CT concept of an adjustment or underlying condition.</summary>
    public string? SnomedCode { get; set; }

    /// <summary>Display of the SNOMED CT concept or impairment code at the time of recording.</summary>
    public string? Display { get; set; }

    /// <summary>The adjustment in the clinician's words (category 011 only, §2.4).</summary>
    public string? BespokeText { get; set; }

    /// <summary>Impairment code "1".."10", "12" (numeric form, §2.3).</summary>
    public string? ImpairmentCode { get; set; }

    /// <summary>"Please specify" text of impairment 10 (§2.3).</summary>
    public string? OtherText { get; set; }

    public string? ConditionCategoryCode { get; set; }

    /// <summary>Version of the code table the code was validated against (SNOMED UK releases add codes, §7.4).</summary>
    public required string CodeTableVersion { get; set; }

    public string? FreeText { get; set; }

    public string? SupersedesId { get; set; }

    public string? SupersededById { get; set; }

    public AdjustmentActor Recorded { get; set; } = new();

    public AdjustmentNhsUser RecordedByNhsUser { get; set; } = new();

    public string? NationalId { get; set; }

    public AdjustmentRemoval Removal { get; set; } = new();

    public DateTime CreateTime { get; set; }

    public DateTime UpdateTime { get; set; }

    public long Version { get; set; }
}

/// <summary>Who did something and when (the authenticated caller, never a request field).</summary>
public sealed class AdjustmentActor
{
    public string? Principal { get; set; }

    public string? Role { get; set; }

    public string? DisplayName { get; set; }

    public DateTime? Time { get; set; }

    public bool IsSet => Time is not null;
}

/// <summary>The NHS CIS2 identity of the person acting, for the national Provenance (§3.7, §7.5 step 3).</summary>
public sealed class AdjustmentNhsUser
{
    public string? SdsUserId { get; set; }

    public string? SdsRoleProfileId { get; set; }

    public string? SdsJobRoleCode { get; set; }

    public string? OdsOrganizationCode { get; set; }

    public bool IsSet => SdsUserId is not null;
}

/// <summary>A best-interest decision under the Mental Capacity Act 2005 (§1.3): who decided and the summary.</summary>
public sealed class AdjustmentBestInterest
{
    public string? DecisionMaker { get; set; }

    public string? Summary { get; set; }

    public bool IsSet => DecisionMaker is not null;
}

/// <summary>Why a record or item ended: a national removal reason plus the mandatory comment (§2.3, §7.1).</summary>
public sealed class AdjustmentRemoval
{
    public string? ReasonCode { get; set; }

    public string? Comment { get; set; }

    public AdjustmentBestInterest BestInterest { get; set; } = new();

    public AdjustmentActor By { get; set; } = new();

    public bool IsSet => ReasonCode is not null;
}

/// <summary>The decision whether the record may be shared nationally (§3.1, §7.3), with who recorded it and when.</summary>
public sealed class AdjustmentSharingDecision
{
    public SharingDecision Decision { get; set; }

    /// <summary>RARecord-ProxyRole-1 code 001-004 of who consented or declined.</summary>
    public string? ConsentProxyRoleCode { get; set; }

    public string? RepresentativeName { get; set; }

    public string? RepresentativeRelationship { get; set; }

    public AdjustmentBestInterest BestInterest { get; set; } = new();

    public AdjustmentActor Recorded { get; set; } = new();
}

/// <summary>Status of the national copy (§7.3 "National sync"); written by the sync job.</summary>
public sealed class AdjustmentNationalSync
{
    public string? NationalFlagId { get; set; }

    public DateTime? LastAttemptTime { get; set; }

    public DateTime? LastSuccessTime { get; set; }

    public string? LastRequestId { get; set; }

    public string? LastOutcomeCode { get; set; }

    public string? LastOutcomeDiagnostics { get; set; }
}

/// <summary>Record lifecycle (§7.1). Values align with mharights.v1.AdjustmentRecord.State; NONE is never stored.</summary>
public enum AdjustmentRecordState
{
    None = 0,
    Identified = 1,
    Active = 2,
    Removed = 3,
    EnteredInError = 4,
}

/// <summary>National sharing (§7.1). Values align with mharights.v1.AdjustmentRecord.SharingState.</summary>
public enum AdjustmentSharingState
{
    Unspecified = 0,
    NotShared = 1,
    Pending = 2,
    Shared = 3,
    Failed = 4,
    Withheld = 5,
    OutOfSync = 6,
}

/// <summary>Review (§3.5, DAPB1605 step 6). Values align with mharights.v1.AdjustmentRecord.ReviewState.</summary>
public enum AdjustmentReviewState
{
    NotApplicable = 0,
    ReviewDue = 1,
    Reviewed = 2,
}

/// <summary>Values align with mharights.v1.AdjustmentRecord.IdentificationSource.</summary>
public enum AdjustmentIdentificationSource
{
    Unspecified = 0,
    RegistrationQuestion = 1,
    AisAssessment = 2,
    Referral = 3,
    Clinician = 4,
    PatientOrCarer = 5,
    NationalRecord = 6,
    Other = 7,
}

/// <summary>Values align with mharights.v1.AdjustmentSharingDecision.Decision; None = no decision yet.</summary>
public enum SharingDecision
{
    None = 0,
    NotRequired = 1,
    Consented = 2,
    Declined = 3,
    BestInterestDecision = 4,
}

/// <summary>Values align with mharights.v1.AdjustmentItem.Kind.</summary>
public enum AdjustmentItemKind
{
    Unspecified = 0,
    Adjustment = 1,
    Impairment = 2,
    UnderlyingCondition = 3,
}

/// <summary>Values align with mharights.v1.AdjustmentItem.State.</summary>
public enum AdjustmentItemState
{
    Unspecified = 0,
    Active = 1,
    Removed = 2,
    EnteredInError = 3,
}
