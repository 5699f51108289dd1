using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// One row of a rule table: what the law says about one provision (§1.5, §3.1-§3.3, §6.1). Pure data; the
/// calendar arithmetic lives in <see cref="LegalCalendar"/>.
/// </summary>
public sealed record ProvisionRule
{
    public required Provision Provision { get; init; }

    /// <summary>NHS Data Dictionary "MHA legal status classification code" (England, §6.1). Null where the DD has no code (CTO, CTO recall, conditional discharge).</summary>
    public required string? DataDictionaryCode { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Liable to be detained (or, for s135/s136, detained in a place of safety).</summary>
    public required bool IsDetention { get; init; }

    /// <summary>Made under Part 3 (criminal courts and transfers from custody).</summary>
    public required bool IsPart3 { get; init; }

    public required bool IsRestricted { get; init; }

    public required DurationRule DurationRule { get; init; }

    /// <summary>Null when the authority cannot be renewed (s2, s4, s5, s135/136, restricted...).</summary>
    public required RenewalRule? Renewal { get; init; }

    /// <summary>s132(1)/(2) information duty applies (hospital managers).</summary>
    public required bool Section132_1 { get; init; }

    /// <summary>s132A information duty applies (community patients).</summary>
    public required bool Section132A { get; init; }

    /// <summary>Qualifying patient for IMHA purposes (s130C(2)), so the s130D duty applies.</summary>
    public required bool ImhaQualifying { get; init; }

    /// <summary>Copy of the written rights information to the nearest relative: s132(4), or s132A(3) for CTO patients.</summary>
    public required bool NearestRelativeCopy132_4 { get; init; }

    /// <summary>Copy of the written IMHA information to the nearest relative: s130D(5); not for those liable to be detained under Part 3.</summary>
    public required bool NearestRelativeCopy130D5 { get; init; }

    /// <summary>The patient has a tribunal application right of their own while under this provision.</summary>
    public required bool HasOwnTribunalRight { get; init; }

    public required TribunalWindowRule TribunalWindows { get; init; }

    public required AutomaticReferenceRule AutomaticReferences { get; init; }

    /// <summary>
    /// Statute-driven initial-explanation SLA for short sections (§8.4); null means the trust-wide default applies.
    /// <see cref="TrustPolicy.DefaultSlaOverrides"/> carries the same values as configurable defaults.
    /// </summary>
    public required Duration? DefaultInitialExplanationSla { get; init; }

    /// <summary>Minimum age in whole years on the day the authority starts (s7(1) guardianship: 16); null when the Act sets none.</summary>
    public int? MinimumAgeAtStart { get; init; }
}
