using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Rights;

/// <summary>How long a duty lives relative to legal status changes.</summary>
public enum DutyScope
{
    /// <summary>One per provision: a change of provision supersedes it and opens a new one (§1.1 s132(1)).</summary>
    Provision,

    /// <summary>One per hospital: carried across a change of provision, renewed on transfer (§1.1 s132(2)).</summary>
    Hospital,

    /// <summary>One per period of being a qualifying patient: carried while the patient stays qualifying (§1.3).</summary>
    QualifyingPeriod,

    /// <summary>One per planned discharge (§1.4 s133).</summary>
    Discharge,
}

/// <summary>One row of the duty table: which statutory duty, when it applies and how it behaves.</summary>
public sealed record DutyRule(
    DutyKind Kind,
    bool IsNotice,
    DutyScope Scope,
    bool HasPeriodicReminder,
    Func<ProvisionRule, bool> AppliesTo,
    string Citation);

/// <summary>
/// The applicability matrix of section-132.md §1.5 as data: each duty kind reads its flag from the provision's
/// rule row (Rights/Rules/RightsRuleSets.cs), so a new provision or a new Act only changes those tables.
/// </summary>
public static class DutyRules
{
    /// <summary>Duties opened by a legal status change (in this order).</summary>
    public static IReadOnlyList<DutyRule> OnLegalStatusChange { get; } =
    [
        // §1.1 s132(1): the provision and its effect, tribunal rights - afresh for each provision.
        new(DutyKind.Section132_1, false, DutyScope.Provision, true, r => r.Section132_1, "s132(1), section-132.md §1.1"),
        // §1.1 s132(2): ss23, 25, 56-64 ... - afresh on detention in each hospital.
        new(DutyKind.Section132_2, false, DutyScope.Hospital, false, r => r.Section132_1 && r.IsDetention, "s132(2), section-132.md §1.1"),
        // §1.2 s132A: community patients, per CTO.
        new(DutyKind.Section132A, false, DutyScope.Provision, true, r => r.Section132A, "s132A, section-132.md §1.2"),
        // §1.3 s130D: IMHA information when the patient becomes qualifying (not s4, s5, s135, s136).
        new(DutyKind.Section130D, false, DutyScope.QualifyingPeriod, false, r => r.ImhaQualifying, "s130D, section-132.md §1.3"),
        // §1.1 s132(4) / s132A(3): copy of the written information to the nearest relative unless the patient objects.
        new(DutyKind.NearestRelativeCopy132, true, DutyScope.Provision, false, r => r.NearestRelativeCopy132_4, "s132(4)/s132A(3), section-132.md §1.1-1.2"),
        // §1.3 s130D(5): IMHA copy to the nearest relative - never for Part 3 patients.
        new(DutyKind.NearestRelativeCopy130D, true, DutyScope.QualifyingPeriod, false, r => r.NearestRelativeCopy130D5, "s130D(5), section-132.md §1.3"),
    ];

    /// <summary>§1.4 s133: notice of discharge to the nearest relative, at least 7 days before.</summary>
    public static DutyRule DischargeNotice { get; } =
        new(DutyKind.Section133DischargeNotice, true, DutyScope.Discharge, false, _ => true, "s133, section-132.md §1.4");

    /// <summary>
    /// §3.3 s68(7): when a CTO is revoked the managers refer the case to the tribunal "as soon as possible after the
    /// order is revoked". Kept as a notice (met by recording it sent), due <see cref="Rules.TrustPolicy.RevocationReferenceTarget"/>
    /// after revocation.
    /// </summary>
    public static DutyRule RevocationReference { get; } =
        new(DutyKind.TribunalReference68_7, true, DutyScope.Discharge, false, r => r.IsDetention, "s68(7), section-132.md §3.3");

    private static readonly Dictionary<DutyKind, DutyRule> ByKind =
        OnLegalStatusChange.Append(DischargeNotice).Append(RevocationReference).ToDictionary(r => r.Kind);

    public static DutyRule For(DutyKind kind) => ByKind[kind];

    public static bool IsNotice(DutyKind kind) => ByKind[kind].IsNotice;
}
