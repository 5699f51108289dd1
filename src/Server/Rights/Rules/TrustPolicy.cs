using System.Collections.Frozen;
using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// Local (per-trust) timing policy. The statute says "as soon as practicable" and "a reasonable time" (§1.1, §8.4),
/// so these numbers are policy, not law. Defaults follow DHCFT (§4) where it gives a figure; the rest are product
/// defaults marked as such. Bound from configuration section <see cref="SectionName"/>.
/// </summary>
public sealed record TrustPolicy
{
    public const string SectionName = "Policy";

    /// <summary>
    /// Short sections need short SLAs (§8.4): s5(4) lasts 6h, s135/s136 24h, s4/s5(2)/CTO recall 72h (§3.1) - an
    /// overnight queue would miss the whole episode. Same values as <see cref="ProvisionRule.DefaultInitialExplanationSla"/>.
    /// </summary>
    public static IReadOnlyDictionary<Provision, Duration> DefaultSlaOverrides { get; } = new Dictionary<Provision, Duration>
    {
        [Provision.Section5_4] = Duration.FromHours(2),
        [Provision.Section136] = Duration.FromHours(4),
        [Provision.Section135] = Duration.FromHours(4),
        [Provision.Section4] = Duration.FromHours(12),
        [Provision.Section5_2] = Duration.FromHours(12),
        [Provision.CommunityTreatmentOrderRecall] = Duration.FromHours(12),
    }.ToFrozenDictionary();

    /// <summary>§4 DHCFT: rights explained verbally within 24 hours of detention.</summary>
    public Duration InitialExplanationSla { get; init; } = Duration.FromHours(24);

    /// <summary>Per-provision SLAs replacing <see cref="InitialExplanationSla"/>.</summary>
    public IReadOnlyDictionary<Provision, Duration> SlaOverrides { get; init; } = DefaultSlaOverrides;

    /// <summary>§2.5: retry when the patient did not understand. 72h is a product default; no source gives a number.</summary>
    public Duration ReattemptInterval { get; init; } = Duration.FromHours(72);

    /// <summary>§4 DHCFT: routine reminder at least every 3 months for in-patients (local calendar).</summary>
    public Period PeriodicInterval { get; init; } = Period.FromMonths(3);

    /// <summary>§4 DHCFT: every 6 months for CTO patients (local calendar).</summary>
    public Period CommunityPeriodicInterval { get; init; } = Period.FromMonths(6);

    /// <summary>§1.1 s132(4) "within a reasonable time": 7 days is a product default [inference].</summary>
    public Period NearestRelativeCopyTarget { get; init; } = Period.FromDays(7);

    /// <summary>§1.4 s133: tell the NR at least 7 days before discharge, if practicable.</summary>
    public Period DischargeNoticeLead { get; init; } = Period.FromDays(7);

    /// <summary>
    /// §3.3 s68(7) "as soon as possible after the order is revoked": the statute gives no number, so the deadline
    /// is policy. 7 days is a product default [inference].
    /// </summary>
    public Period RevocationReferenceTarget { get; init; } = Period.FromDays(7);

    /// <summary>
    /// Compliance report: also withhold a ratio headline whose denominator is 5 or more when only its numerator is
    /// below 5 (e.g. "3 of 120 not understood"). Default false: a trust-wide headline over a large population does not
    /// identify anyone, and withholding it hid exactly the rare failures the report exists to show. A trust whose
    /// disclosure rule says otherwise sets it. Group rows are unaffected (always suppressed, with secondary suppression).
    /// </summary>
    public bool SuppressHeadlineOnSmallNumerator { get; init; }

    public Duration SlaFor(Provision provision) =>
        SlaOverrides.TryGetValue(provision, out var sla) ? sla : InitialExplanationSla;

    /// <summary>In-patient interval while detained; community interval otherwise (CTO, guardianship, conditional discharge).</summary>
    public Period PeriodicIntervalFor(ProvisionRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.IsDetention ? PeriodicInterval : CommunityPeriodicInterval;
    }

    /// <summary>Configuration problems (non-positive durations, empty or time-of-day periods); empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        RequirePositive(problems, nameof(InitialExplanationSla), InitialExplanationSla);
        RequirePositive(problems, nameof(ReattemptInterval), ReattemptInterval);
        if (SlaOverrides is null)
        {
            problems.Add($"{nameof(SlaOverrides)} must not be null.");
        }
        else
        {
            foreach (var (provision, sla) in SlaOverrides)
            {
                RequirePositive(problems, $"{nameof(SlaOverrides)}[{provision}]", sla);
            }
        }

        RequireDatePeriod(problems, nameof(PeriodicInterval), PeriodicInterval);
        RequireDatePeriod(problems, nameof(CommunityPeriodicInterval), CommunityPeriodicInterval);
        RequireDatePeriod(problems, nameof(NearestRelativeCopyTarget), NearestRelativeCopyTarget);
        RequireDatePeriod(problems, nameof(DischargeNoticeLead), DischargeNoticeLead);
        RequireDatePeriod(problems, nameof(RevocationReferenceTarget), RevocationReferenceTarget);
        return problems;
    }

    /// <summary>
    /// <see cref="Validate()"/> plus a check against a rule set: an SLA at least as long as a section's fixed length
    /// (e.g. 24h for a 6h s5(4)) cannot be met within the episode (§8.4).
    /// </summary>
    public IReadOnlyList<string> Validate(RightsRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>(Validate());
        if (SlaOverrides is null)
        {
            return problems;
        }

        foreach (var rule in rules.Rules.Values.OrderBy(r => r.Provision))
        {
            if ((rule.Section132_1 || rule.Section132A) && rule.DurationRule.Elapsed is { } length && SlaFor(rule.Provision) >= length)
            {
                problems.Add($"SLA for {rule.DisplayName} ({SlaFor(rule.Provision)}) is not shorter than the section itself ({length}).");
            }
        }

        return problems;
    }

    private static void RequirePositive(List<string> problems, string name, Duration value)
    {
        if (value <= Duration.Zero)
        {
            problems.Add($"{name} must be positive (was {value}).");
        }
    }

    private static void RequireDatePeriod(List<string> problems, string name, Period? value)
    {
        if (value is null)
        {
            problems.Add($"{name} must be set.");
        }
        else if (value.HasTimeComponent)
        {
            problems.Add($"{name} must be in days, weeks, months or years (was {value}).");
        }
        else if (value.Equals(Period.Zero) || value.Years < 0 || value.Months < 0 || value.Weeks < 0 || value.Days < 0)
        {
            problems.Add($"{name} must be positive (was {value}).");
        }
    }
}
