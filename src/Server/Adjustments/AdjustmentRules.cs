namespace MhaRights.Server.Adjustments;

/// <summary>The reasonable-adjustment rules the workflows and the API share, as data.</summary>
public static class AdjustmentRules
{
    /// <summary>Removal reason that means "created in error" (§2.3); it leads to ENTERED_IN_ERROR, not REMOVED.</summary>
    public const string ErrorReason = "Error";

    /// <summary>Removal reason that needs a best-interest decision (§1.3, §7.2 "best-interest needs decision-maker + summary").</summary>
    public const string BestInterestReason = "BestInterest";

    /// <summary>Consent proxy role 002 "best interest decision" (§2.3), implied by a BEST_INTEREST_DECISION.</summary>
    public const string BestInterestProxyRole = "002";

    /// <summary>Proxy roles 003 (LPA / deputy) and 004 (parental responsibility) act through a named representative (§2.3).</summary>
    public static readonly IReadOnlySet<string> RepresentativeProxyRoles = new HashSet<string>(StringComparer.Ordinal) { "003", "004" };

    /// <summary>
    /// Categories 001-006 are the communication adjustments (the AIS need types plus community language support,
    /// §1.4, §2.3) that staff must meet when explaining rights (issue 4 item 7).
    /// </summary>
    public static readonly IReadOnlySet<string> CommunicationCategories =
        new HashSet<string>(StringComparer.Ordinal) { "001", "002", "003", "004", "005", "006" };

    /// <summary>Records that still hold the flag; items may be added or removed only then (§7.2 "ACTIVE → ACTIVE").</summary>
    public static readonly AdjustmentRecordState[] OpenRecordStates = [AdjustmentRecordState.Identified, AdjustmentRecordState.Active];

    /// <summary>
    /// What a sharing decision means for national sharing (§3.1, §7.2): declined withholds; any other decision lets an
    /// ACTIVE record be queued for the national Patient Flags service.
    /// </summary>
    public static readonly IReadOnlyDictionary<SharingDecision, bool> DecisionAllowsSharing = new Dictionary<SharingDecision, bool>
    {
        [SharingDecision.None] = false,
        [SharingDecision.NotRequired] = true,
        [SharingDecision.Consented] = true,
        [SharingDecision.Declined] = false,
        [SharingDecision.BestInterestDecision] = true,
    };

    /// <summary>Sharing states in which a copy may exist nationally and must be deleted when the record ends (§7.2).</summary>
    public static readonly AdjustmentSharingState[] NationalCopyMayExist =
        [AdjustmentSharingState.Shared, AdjustmentSharingState.Failed, AdjustmentSharingState.OutOfSync];

    /// <summary>Local SNOMED CT code recorded for a sharing decision (§2.3 anchors, §7.3); empty for none.</summary>
    public static readonly IReadOnlyDictionary<SharingDecision, string> DecisionAnchorKey = new Dictionary<SharingDecision, string>
    {
        [SharingDecision.Consented] = CodeTables.AnchorCodeKeys.ConsentToUploadGiven,
        [SharingDecision.BestInterestDecision] = CodeTables.AnchorCodeKeys.ConsentToUploadGiven,
        [SharingDecision.Declined] = CodeTables.AnchorCodeKeys.ConsentToUploadDeclined,
    };

    public static bool IsOpen(AdjustmentRecordState state) => OpenRecordStates.Contains(state);
}
