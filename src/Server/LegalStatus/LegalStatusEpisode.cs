using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.LegalStatus;

/// <summary>One period under one provision (section-132.md §8.1). A change of provision ends one episode and
/// opens the next, linked both ways.</summary>
public sealed class LegalStatusEpisode : IVersioned
{
    public required string Id { get; set; }

    public required string PatientId { get; set; }

    public Provision Provision { get; set; }

    /// <summary>For a CTO: the section it suspends (s3 or s37).</summary>
    public Provision? SuspendedProvision { get; set; }

    public EpisodeState State { get; set; }

    public required string Hospital { get; set; }

    public string? Ward { get; set; }

    public DateTime StartTime { get; set; }

    public DateTime? ExpiryTime { get; set; }

    /// <summary>
    /// When the period counts from, where that is not <see cref="StartTime"/>: a s4 converted to s2 keeps the s4
    /// admission (s4(4), s2(4)). Null means <see cref="StartTime"/>.
    /// </summary>
    public DateTime? PeriodStartTime { get; set; }

    /// <summary>
    /// Set by the deadline sweep to <see cref="ExpiryTime"/> when the authority passed its end with no renewal,
    /// change or end recorded. The episode stays in its state (only a person can say what happened); null while
    /// the authority is in force or once the record shows it was changed in time.
    /// </summary>
    public DateTime? LapsedTime { get; set; }

    public int RenewalCount { get; set; }

    public DateTime? LastRenewalTime { get; set; }

    public DateTime? EndTime { get; set; }

    public EpisodeEndReason EndReason { get; set; }

    public string? EndNote { get; set; }

    public string? PreviousEpisodeId { get; set; }

    public string? NextEpisodeId { get; set; }

    public string? ParentEpisodeId { get; set; }

    public DateTime? PlannedDischargeTime { get; set; }

    public DateTime? FirstMedicationTime { get; set; }

    public DateTime CreateTime { get; set; }

    public DateTime UpdateTime { get; set; }

    public long Version { get; set; }

    public bool IsOpen => State is EpisodeState.Active or EpisodeState.Recalled;

    /// <summary>The instant the authority's period counts from (durations, tribunal windows, references).</summary>
    public DateTime PeriodStart => PeriodStartTime ?? StartTime;
}

/// <summary>Values align with mharights.v1.LegalStatusEpisode.State.</summary>
public enum EpisodeState
{
    Unspecified = 0,
    Active = 1,
    Recalled = 2,
    Superseded = 3,
    Ended = 4,
}

/// <summary>Values align with mharights.v1.LegalStatusEpisode.EndReason.</summary>
public enum EpisodeEndReason
{
    Unspecified = 0,
    DischargedByResponsibleClinician = 1,
    DischargedByHospitalManagers = 2,
    DischargedByNearestRelative = 3,
    DischargedByTribunal = 4,
    Expired = 5,
    ProvisionChanged = 6,
    CommunityTreatmentOrderRevoked = 7,
    ReleasedFromRecall = 8,
    Died = 9,
    TransferredOut = 10,
    EnteredInError = 11,
    Other = 12,
}
