namespace MhaRights.Server.Reporting;

/// <summary>What a measure's numbers mean. Values align with mharights.v1.MeasureKind.</summary>
public enum MeasureKind
{
    Unspecified = 0,

    /// <summary>Numerator / denominator as a percentage.</summary>
    Ratio = 1,

    /// <summary>Median and 90th percentile hours over <c>numerator</c> values drawn from <c>denominator</c> duties.</summary>
    Duration = 2,

    /// <summary>A count (numerator), with the population it was counted from as the denominator where there is one.</summary>
    Count = 3,
}

/// <summary>One measure: stable id, title, kind and the precise definition shown in the report and docs/reporting.md.</summary>
public sealed record MeasureDefinition(string Id, string Title, MeasureKind Kind, bool LowerIsBetter, string Definition);

/// <summary>
/// The compliance measures (section-132.md §5 CQC findings, §8.5 audit measures). Common terms used below:
/// <list type="bullet">
/// <item><b>Population</b>: legal status episodes whose start time is in the period (and match the hospital, ward and
/// provision filters), recorded by the as-of time T and not marked entered in error by T.</item>
/// <item><b>Initial duty</b>: the s132(1) or s132A explanation duty opened with the episode (one per episode for every
/// provision that carries one: detentions, CTO recall, CTO).</item>
/// <item><b>Standing attempt</b>: an explanation attempt recorded by T (create time ≤ T) and not voided or corrected
/// by T (still RECORDED, or its void time is after T).</item>
/// <item><b>SLA</b>: the trust policy's initial-explanation SLA for the duty's provision (TrustPolicy.SlaFor); the
/// SLA deadline is the duty's open time plus the SLA.</item>
/// <item><b>State at T</b>: the duty's state after the last audited transition recorded by T (the current state when
/// T is now).</item>
/// </list>
/// </summary>
public static class MeasureCatalog
{
    public static readonly MeasureDefinition InitialWithinSla = new(
        "initial_within_sla",
        "Initial explanation attempted within the SLA",
        MeasureKind.Ratio,
        false,
        "Denominator: initial duties of the population that existed and were not NOT_APPLICABLE at T and either had a standing "
        + "attempt by T or whose SLA deadline had passed by T (excluding duties superseded or closed before their deadline "
        + "without any attempt, e.g. a s136 changed to s2 within the 4 hours). Numerator: those whose first standing attempt "
        + "(any outcome) was at or before the SLA deadline.");

    public static readonly MeasureDefinition HoursToFirstAttempt = new(
        "hours_to_first_attempt",
        "Hours from duty opening to the first explanation attempt",
        MeasureKind.Duration,
        true,
        "Over the initial duties in the denominator of initial_within_sla: hours from the duty's open time to its earliest "
        + "standing attempt. Numerator: duties with a standing attempt (the values); denominator: the duties. Median and "
        + "90th percentile use linear interpolation between closest ranks (percentile_cont).");

    public static readonly MeasureDefinition HoursToUnderstanding = new(
        "hours_to_understanding",
        "Hours from duty opening to the patient understanding",
        MeasureKind.Duration,
        true,
        "As hours_to_first_attempt, but to the earliest standing attempt with outcome UNDERSTOOD by which the information "
        + "had been given both orally and in writing (s132(3); the same or earlier standing attempts).");

    public static readonly MeasureDefinition RepeatAfterChangeOfProvision = new(
        "repeat_after_change_of_provision",
        "Rights explained again after a change of provision",
        MeasureKind.Ratio,
        false,
        "Denominator: initial duties (as initial_within_sla) opened by a change of provision (duty trigger CHANGE_OF_PROVISION, "
        + "or CTO_REVOKED: detention again after a CTO). Numerator: those with at least one standing attempt (any time up to T; "
        + "timeliness is initial_within_sla's).");

    public static readonly MeasureDefinition RepeatAfterRenewal = new(
        "repeat_after_renewal",
        "Rights explained again after renewal",
        MeasureKind.Ratio,
        false,
        "Denominator: s132(1)/s132A duties (not NOT_APPLICABLE) of renewed episodes of the population on which a RENEWAL "
        + "re-explanation was raised at least one SLA before T, or which already have a numerator attempt. As of T the raise is "
        + "the duty's ReexplanationRaised audit event (trigger Renewal) recorded by then; for the current record it is the "
        + "episode's renewal count and last renewal time. Numerator: those with a standing attempt made in response (attempt "
        + "trigger RENEWAL).");

    public static readonly MeasureDefinition RepeatAfterTribunalWindow = new(
        "repeat_after_tribunal_window",
        "Rights explained again when a tribunal window opened or a reference fell due",
        MeasureKind.Ratio,
        false,
        "Denominator: s132(1)/s132A duties of the population whose episode had a TRIBUNAL_WINDOW or AUTOMATIC_REFERENCE trigger "
        + "fired by the deadline sweeper (fired time recorded by T) at least one SLA before T while the duty was open, or which "
        + "already have a numerator attempt. Numerator: those with a standing attempt made in response (attempt trigger "
        + "TRIBUNAL_WINDOW or AUTOMATIC_REFERENCE).");

    public static readonly MeasureDefinition RepeatAfterCtoRecall = new(
        "repeat_after_cto_recall",
        "Rights explained at CTO recall",
        MeasureKind.Ratio,
        false,
        "Denominator: initial duties (as initial_within_sla) of CTO recall episodes in the population (duty trigger "
        + "CTO_RECALL, CoP 4.9). Numerator: those with at least one standing attempt.");

    public static readonly MeasureDefinition RepeatedDiscussions = new(
        "repeated_discussions",
        "Repeated discussions during longer stays (CQC \"repeat\")",
        MeasureKind.Ratio,
        false,
        "Denominator: initial duties (not NOT_APPLICABLE) whose first standing attempt was at least the trust's periodic "
        + "reminder interval before T (3 months for detentions, 6 months for community provisions, Europe/London calendar) and "
        + "that did not end (superseded or closed) within that interval of the first attempt: the patient stayed long enough "
        + "for trust policy to require the rights to be discussed again. Numerator: those with two or more standing attempts.");

    public static readonly MeasureDefinition NearestRelativeCopy = new(
        "nr_copy_sent_or_objection",
        "Nearest-relative copies sent, or objection / no nearest relative recorded",
        MeasureKind.Ratio,
        false,
        "Denominator: s132(4)/s132A(3) and s130D(5) nearest-relative copy duties of the population, excluding those "
        + "NOT_APPLICABLE at T and those superseded or closed before they were due; only copies already SENT or NOT_REQUIRED "
        + "at T or whose due time had passed by T. Numerator: SENT or NOT_REQUIRED (patient objects, no nearest relative) at T.");

    public static readonly MeasureDefinition NotUnderstoodNoReattempt = new(
        "not_understood_no_reattempt",
        "Not understood, with no re-attempt scheduled",
        MeasureKind.Ratio,
        true,
        "Denominator: explanation duties (s132(1), s132(2), s132A, s130D) of the population still open at T whose latest "
        + "standing attempt was not UNDERSTOOD (partly, not understood, declined, unable). Numerator (lower is better): those "
        + "with no re-attempt still scheduled at T: the re-attempt time planned on that attempt (or, if none was given, the "
        + "attempt time plus the trust's re-attempt interval) had passed by T with no newer attempt.");

    public static readonly MeasureDefinition DischargeNoticeOnTime = new(
        "s133_notice_on_time",
        "s133 discharge notices sent on time",
        MeasureKind.Ratio,
        false,
        "Denominator: s133 discharge-notice duties of the population, excluding those NOT_REQUIRED (ordered by the nearest "
        + "relative, opted out, no nearest relative), NOT_APPLICABLE or SUPERSEDED (discharge re-planned) at T; only notices "
        + "SENT by T or whose due time (7 days before the planned discharge) had passed by T. Numerator: SENT at T with the "
        + "sent time at or before the due time.");

    public static readonly MeasureDefinition ImhaInformationGiven = new(
        "imha_information_given",
        "IMHA information given to qualifying patients",
        MeasureKind.Ratio,
        false,
        "Denominator: s130D duties of the population (the patient became a qualifying patient, s130C) not NOT_APPLICABLE at T, "
        + "whose due time had passed by T or that already meet the numerator. Numerator: the patient has a standing attempt at "
        + "or after the duty opened that records IMHA information given, or an attempt on the s130D duty itself whose outcome "
        + "shows the information was given (understood, partly or not understood).");

    public static readonly MeasureDefinition AdjustmentFlagsActive = new(
        "adjustment_flags_active",
        "Patients with an active reasonable adjustment flag",
        MeasureKind.Count,
        false,
        "Patients with an episode in the population whose reasonable-adjustment record was ACTIVE at T: threshold confirmed "
        + "(activated) by T and not removed or marked entered in error by T. The count is both numerator and denominator. "
        + "Category and impairment breakdowns count the flagged patients with an item of that category or impairment active at "
        + "T (created by T, not removed by T), so a patient may appear in several rows.");

    public static readonly MeasureDefinition AdjustmentReviewsOverdue = new(
        "adjustment_reviews_overdue",
        "Reasonable adjustment reviews overdue",
        MeasureKind.Ratio,
        true,
        "Denominator: the patients counted by adjustment_flags_active. Numerator (lower is better): those whose record's "
        + "review due time was before T.");

    public static readonly MeasureDefinition UnmetCommunicationNeeds = new(
        "unmet_communication_needs",
        "Explanations where a recorded communication need was not met",
        MeasureKind.Ratio,
        true,
        "Denominator: standing explanation attempts (recorded by T, not voided or corrected by T) on duties of population "
        + "episodes that recorded how the patient's communication needs were met (the patient had needs recorded). Numerator "
        + "(lower is better): those recording at least one need as not met. Broken down by the attempt's episode.");

    /// <summary>The reasonable-adjustment measures (issue 4 entities), after the rights measures.</summary>
    public static IReadOnlyList<MeasureDefinition> AdjustmentMeasures { get; } = [AdjustmentFlagsActive, AdjustmentReviewsOverdue, UnmetCommunicationNeeds];

    /// <summary>The rights measures, in report order.</summary>
    public static IReadOnlyList<MeasureDefinition> RightsMeasures { get; } =
    [
        InitialWithinSla,
        HoursToFirstAttempt,
        HoursToUnderstanding,
        RepeatAfterChangeOfProvision,
        RepeatAfterRenewal,
        RepeatAfterTribunalWindow,
        RepeatAfterCtoRecall,
        RepeatedDiscussions,
        NearestRelativeCopy,
        NotUnderstoodNoReattempt,
        DischargeNoticeOnTime,
        ImhaInformationGiven,
    ];
}
