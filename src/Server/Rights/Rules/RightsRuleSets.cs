using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// The shipped rule tables. Section references (§) are to /work/shared/domain/section-132.md.
/// Rows are built from a few family templates (with-expressions) so each row states only how it differs.
/// </summary>
public static class RightsRuleSets
{
    // Shared periods. Declared before the sets: static initialisers run in textual order.
    private static readonly Period SixMonths = Period.FromMonths(6);
    private static readonly Period TwelveMonths = Period.FromMonths(12);
    private static readonly Period TwentyEightDays = Period.FromDays(28);

    // §3.1: s20(2)/s20A(3) - renewed/extended for 6 months, then 12 months at a time (s3, s37, CTO, guardianship).
    private static readonly RenewalRule SixThenTwelve = new([SixMonths, TwelveMonths]);

    // §3.2: s3/s7/CTO - once in the first 6 months, once in the next 6, then yearly; periods follow the renewals.
    private static readonly TribunalWindowRule CivilPeriods =
        TribunalWindowRule.Periods([SixMonths, SixMonths, TwelveMonths], chained: true, firstPeriodEligible: true);

    // §3.2: s37 unrestricted - none in the first 6 months, then second 6 months, then yearly (s69(1)(a)).
    private static readonly TribunalWindowRule HospitalOrderPeriods =
        TribunalWindowRule.Periods([SixMonths, SixMonths, TwelveMonths], chained: true, firstPeriodEligible: false);

    // §3.2: s47/s48 unrestricted - within the first 6 months of the direction, then as s37 (s69(2)(b)).
    private static readonly TribunalWindowRule TransferDirectionPeriods = CivilPeriods;

    // §3.2: restricted - between 6 and 12 months from the order/direction, then every 12 months (s70). Counted
    // from the start day, not chained: there are no renewals to follow.
    private static readonly TribunalWindowRule RestrictedPeriods =
        TribunalWindowRule.Periods([SixMonths, SixMonths, TwelveMonths], chained: false, firstPeriodEligible: false);

    // [verify s75(2)] Not in §3.2 (background knowledge): a conditionally discharged restricted patient may apply
    // between 12 months and 2 years after discharge, then in each later 2-year period.
    private static readonly TribunalWindowRule ConditionalDischargePeriods =
        TribunalWindowRule.Periods([TwelveMonths, TwelveMonths, Period.FromMonths(24)], chained: false, firstPeriodEligible: false);

    // §3.3: s68(2) at 6 months from the applicable day; s68(6) 3 years since last considered (1 year if under 18).
    private static readonly AutomaticReferenceRule CivilReferences = new(SixMonths, Period.FromYears(3), Period.FromYears(1));

    // §3.3 [verify Sch 1 Pt 1]: s68(6) taken to reach unrestricted Part 3 patients; s68(2) does not (no Part 2 admission).
    private static readonly AutomaticReferenceRule HospitalOrderReferences = new(null, Period.FromYears(3), Period.FromYears(1));

    // §3.3: s71(2) - the Secretary of State refers a detained restricted patient not heard for 3 years (no under-18 limb).
    private static readonly AutomaticReferenceRule RestrictedReferences = new(null, Period.FromYears(3), null);

    // §3.1 + §8.4: initial-explanation SLAs for sections that can end before a 24h queue is worked.
    private static readonly Duration TwoHours = Duration.FromHours(2);
    private static readonly Duration FourHours = Duration.FromHours(4);
    private static readonly Duration TwelveHours = Duration.FromHours(12);

    /// <summary>§1.5 template: Part 2 civil detention - s132 Y, IMHA Y, both NR copies Y, own tribunal right.</summary>
    private static readonly ProvisionRule CivilDetention = new()
    {
        Provision = Provision.Section3,
        DataDictionaryCode = null,
        DisplayName = "",
        IsDetention = true,
        IsPart3 = false,
        IsRestricted = false,
        DurationRule = DurationRule.BeginningWithDay(SixMonths),
        Renewal = SixThenTwelve,
        Section132_1 = true,
        Section132A = false,
        ImhaQualifying = true,
        NearestRelativeCopy132_4 = true,
        NearestRelativeCopy130D5 = true,
        HasOwnTribunalRight = true,
        TribunalWindows = CivilPeriods,
        AutomaticReferences = CivilReferences,
        DefaultInitialExplanationSla = null,
    };

    /// <summary>§1.5 template: short holding powers (s4, s5, s135/s136 in a hospital place of safety) - s132 Y, IMHA N (s130C(2)), s132(4) copy Y, s130D(5) copy N.</summary>
    private static readonly ProvisionRule HoldingPower = CivilDetention with
    {
        DurationRule = DurationRule.Hours(72),
        Renewal = null,
        ImhaQualifying = false,
        NearestRelativeCopy130D5 = false,
        HasOwnTribunalRight = false,
        TribunalWindows = TribunalWindowRule.None,
        AutomaticReferences = AutomaticReferenceRule.None,
    };

    /// <summary>§1.5 template: Part 3 detention - s132 Y, IMHA Y, s132(4) copy Y, IMHA copy N (s130D(5) Part 3 carve-out).</summary>
    private static readonly ProvisionRule Part3Detention = CivilDetention with
    {
        IsPart3 = true,
        NearestRelativeCopy130D5 = false,
        TribunalWindows = HospitalOrderPeriods,
        AutomaticReferences = HospitalOrderReferences,
    };

    /// <summary>§1.5 template: restricted Part 3 (s37/41 family) - no fixed end (§3.1), windows from 6 months (§3.2), s71(2) (§3.3). s132(4) copy: Y [verify restricted-patient practice].</summary>
    private static readonly ProvisionRule RestrictedDetention = Part3Detention with
    {
        IsRestricted = true,
        DurationRule = DurationRule.Indefinite,
        Renewal = null,
        TribunalWindows = RestrictedPeriods,
        AutomaticReferences = RestrictedReferences,
    };

    /// <summary>§1.5 template: court remands/interim orders (s35, s36, s38) - no tribunal right ("court decides"), no references.</summary>
    private static readonly ProvisionRule CourtRemand = Part3Detention with
    {
        HasOwnTribunalRight = false,
        TribunalWindows = TribunalWindowRule.None,
        AutomaticReferences = AutomaticReferenceRule.None,
    };

    /// <summary>§1.5 template: guardianship - no s132/s132A (not detained), IMHA Y (LSSA), IMHA NR copy Y (not "liable to be detained", so the Part 3 carve-out does not bite [inference]).</summary>
    private static readonly ProvisionRule Guardianship = CivilDetention with
    {
        IsDetention = false,
        Section132_1 = false,
        NearestRelativeCopy132_4 = false,
        AutomaticReferences = AutomaticReferenceRule.None,
    };

    /// <summary>Pre-Policing and Crime Act 2017 law: s135/s136 last 72 hours with no s136B extension (§3.1).</summary>
    public static RightsRuleSet Mha2007 { get; } = new(
        "MHA 1983 as amended by MHA 2007 (before Policing and Crime Act 2017)",
        LegalCalendar.EnglandAndWales.StartOfDay(new LocalDate(2008, 11, 3)), // MHA 2007 main commencement (s132A, s130C-D, §1.2)
        Rows(DurationRule.Hours(72)));

    /// <summary>Current law: s135/s136 24 hours (+12h under s136B) from 11 Dec 2017 (§3.1, PCA 2017 s82).</summary>
    public static RightsRuleSet Mha2007AndPolicingAndCrimeAct2017 { get; } = new(
        "MHA 1983 as amended by MHA 2007 and Policing and Crime Act 2017",
        LegalCalendar.EnglandAndWales.StartOfDay(new LocalDate(2017, 12, 11)),
        Rows(DurationRule.Hours(24, maximumExtensionHours: 12)));

    /// <summary>Every shipped set, ascending by commencement. MHA 2025 sets (§1.8) go here once commencement orders are known.</summary>
    public static IReadOnlyList<RightsRuleSet> All { get; } = [Mha2007, Mha2007AndPolicingAndCrimeAct2017];

    private static IEnumerable<ProvisionRule> Rows(DurationRule placeOfSafety)
    {
        // §1.5: informal - no statutory duty (trusts still explain informal rights as good practice).
        yield return CivilDetention with
        {
            Provision = Provision.Informal, DataDictionaryCode = "01", DisplayName = "Informal",
            IsDetention = false, DurationRule = DurationRule.Indefinite, Renewal = null,
            Section132_1 = false, ImhaQualifying = false, NearestRelativeCopy132_4 = false, NearestRelativeCopy130D5 = false,
            HasOwnTribunalRight = false, TribunalWindows = TribunalWindowRule.None, AutomaticReferences = AutomaticReferenceRule.None,
        };

        // §3.1: 28 days beginning with the day of admission, not renewable. §3.2: 14 days counting the admission day.
        yield return CivilDetention with
        {
            Provision = Provision.Section2, DataDictionaryCode = "02", DisplayName = "Section 2",
            DurationRule = DurationRule.BeginningWithDay(TwentyEightDays), Renewal = null,
            TribunalWindows = TribunalWindowRule.WithinDays(14),
        };

        // §3.1: 6 months, renewable 6 then 12; §3.2 6/6/yearly; §3.3 s68(2)+s68(6).
        yield return CivilDetention with { Provision = Provision.Section3, DataDictionaryCode = "03", DisplayName = "Section 3" };

        // §3.1: 72h from admission; §1.5: tribunal any time while held, IMHA excluded; s68 not applied [inference].
        yield return HoldingPower with
        {
            Provision = Provision.Section4, DataDictionaryCode = "04", DisplayName = "Section 4",
            HasOwnTribunalRight = true, TribunalWindows = TribunalWindowRule.WholeEpisode, DefaultInitialExplanationSla = TwelveHours,
        };

        // §3.1: 72h from the report; §1.5: s132 bites because detained in hospital [inference].
        yield return HoldingPower with
        {
            Provision = Provision.Section5_2, DataDictionaryCode = "05", DisplayName = "Section 5(2)", DefaultInitialExplanationSla = TwelveHours,
        };

        // §3.1: 6h from the nurse's record; §8.4: an overnight queue would miss the whole episode.
        yield return HoldingPower with
        {
            Provision = Provision.Section5_4, DataDictionaryCode = "06", DisplayName = "Section 5(4)",
            DurationRule = DurationRule.Hours(6), DefaultInitialExplanationSla = TwoHours,
        };

        // §3.1: 28 days per remand, renewable 28 days at a time, at most 12 weeks in all; §1.5 no tribunal right.
        var remand = CourtRemand with
        {
            DurationRule = DurationRule.BeginningWithDay(TwentyEightDays),
            Renewal = new RenewalRule([TwentyEightDays], totalCap: Period.FromWeeks(12)),
        };
        yield return remand with { Provision = Provision.Section35, DataDictionaryCode = "07", DisplayName = "Section 35" };
        yield return remand with { Provision = Provision.Section36, DataDictionaryCode = "08", DisplayName = "Section 36" };

        // §3.1: as s3 [verify s40(4)]; §3.2 none in first 6 months; §1.5 IMHA NR copy N (Part 3).
        yield return Part3Detention with { Provision = Provision.Section37, DataDictionaryCode = "10", DisplayName = "Section 37" };

        // §3.1: no fixed end; §3.2 6-12 months then yearly.
        yield return RestrictedDetention with { Provision = Provision.Section37_41, DataDictionaryCode = "09", DisplayName = "Section 37/41" };

        // §3.1: up to 12 weeks, renewable 28 days at a time, at most 12 months in all.
        yield return CourtRemand with
        {
            Provision = Provision.Section38, DataDictionaryCode = "12", DisplayName = "Section 38",
            DurationRule = DurationRule.BeginningWithDay(Period.FromWeeks(12)),
            Renewal = new RenewalRule([TwentyEightDays], totalCap: TwelveMonths),
        };

        // [verify] Not in §1.5/§3: committal pending Crown Court; s44(3) gives the effect of a restriction order;
        // lasts until the court disposes of the case; taken to carry no tribunal right.
        yield return RestrictedDetention with
        {
            Provision = Provision.Section44, DataDictionaryCode = "13", DisplayName = "Section 44",
            HasOwnTribunalRight = false, TribunalWindows = TribunalWindowRule.None, AutomaticReferences = AutomaticReferenceRule.None,
        };

        // §1.5: as s37/41. DD code 37 = limitation direction in force; code 38 (ended) is recorded as s47.
        yield return RestrictedDetention with { Provision = Provision.Section45A, DataDictionaryCode = "37", DisplayName = "Section 45A" };

        // [verify] Armed forces hospital orders (s46 repealed 2009, DD code kept): treated as restricted.
        yield return RestrictedDetention with { Provision = Provision.Section46, DataDictionaryCode = "14", DisplayName = "Section 46" };

        // §1.5/§3.2: transfer direction treated as a hospital order; first-6-month right (s69(2)(b)); duration as s37 [verify s47(3)/s48(3)].
        yield return Part3Detention with
        {
            Provision = Provision.Section47, DataDictionaryCode = "16", DisplayName = "Section 47", TribunalWindows = TransferDirectionPeriods,
        };
        yield return RestrictedDetention with { Provision = Provision.Section47_49, DataDictionaryCode = "15", DisplayName = "Section 47/49" };
        yield return Part3Detention with
        {
            Provision = Provision.Section48, DataDictionaryCode = "18", DisplayName = "Section 48", TribunalWindows = TransferDirectionPeriods,
        };
        yield return RestrictedDetention with { Provision = Provision.Section48_49, DataDictionaryCode = "17", DisplayName = "Section 48/49" };

        // §1.5: modelled as "in a hospital place of safety" - s132 Y [inference], s132(4) copy [verify], IMHA N.
        // §3.1: 24h from arrival (72h before 11 Dec 2017); §8.4: short SLA.
        yield return HoldingPower with
        {
            Provision = Provision.Section135, DataDictionaryCode = "19", DisplayName = "Section 135",
            DurationRule = placeOfSafety, DefaultInitialExplanationSla = FourHours,
        };
        yield return HoldingPower with
        {
            Provision = Provision.Section136, DataDictionaryCode = "20", DisplayName = "Section 136",
            DurationRule = placeOfSafety, DefaultInitialExplanationSla = FourHours,
        };

        // [verify] §6.1 code 31. The court's order (hospital order with or without restrictions) decides duration
        // and windows; record the equivalent s37 or s37/41 where known. Duties as Part 3 detention.
        yield return Part3Detention with
        {
            Provision = Provision.CriminalProcedureInsanity, DataDictionaryCode = "31",
            DisplayName = "Criminal Procedure (Insanity) Act 1964",
            DurationRule = DurationRule.Indefinite, Renewal = null,
            TribunalWindows = TribunalWindowRule.None, AutomaticReferences = AutomaticReferenceRule.None,
        };

        // [verify] §6.1 code 32: the other Act decides. Explanation duties on (over-compliance is harmless);
        // IMHA NR copy off (disclosure without a clear basis is not); no windows or references computed.
        yield return Part3Detention with
        {
            Provision = Provision.OtherActs, DataDictionaryCode = "32", DisplayName = "Detained under other Acts",
            IsPart3 = false, DurationRule = DurationRule.Indefinite, Renewal = null,
            TribunalWindows = TribunalWindowRule.None, AutomaticReferences = AutomaticReferenceRule.None,
        };

        // §1.5: guardianship; §3.1 duration as s3 [verify]; §3.2 windows as s3 (s37 guardianship: s69(1)(b) [verify]).
        // §3.1 s7(1): a guardianship application may only be made for a patient who has attained 16.
        yield return Guardianship with { Provision = Provision.Guardianship7, DataDictionaryCode = "35", DisplayName = "Guardianship (section 7)", MinimumAgeAtStart = 16 };
        yield return Guardianship with
        {
            Provision = Provision.Guardianship37, DataDictionaryCode = "36", DisplayName = "Guardianship order (section 37)", IsPart3 = true,
        };

        // §1.2/§1.5: s132A (not s132), IMHA Y, NR copies Y (s132A(3), s130D(5)); §3.1 6 months then 6/12;
        // §3.2 ex-Part 2 pattern (the ex-Part 3 first-window variant is not modelled); §3.3 s68(2)/(6).
        yield return CivilDetention with
        {
            Provision = Provision.CommunityTreatmentOrder, DataDictionaryCode = null, DisplayName = "Community treatment order (section 17A)",
            IsDetention = false, Section132_1 = false, Section132A = true,
        };

        // §1.2/§1.5: s132 at recall (CoP 4.9); §3.1 at most 72h; §3.2 no new tribunal right (s66(2A)); references
        // stay with the CTO row. IMHA Y: still a community patient.
        yield return HoldingPower with
        {
            Provision = Provision.CommunityTreatmentOrderRecall, DataDictionaryCode = null, DisplayName = "CTO recall (section 17E)",
            ImhaQualifying = true, NearestRelativeCopy130D5 = true, DefaultInitialExplanationSla = TwelveHours,
        };

        // §1.5: no s132/s132A today (MHA 2025 s43 adds one, prospective); IMHA Y (RC); NR copies N; tribunal Y.
        yield return RestrictedDetention with
        {
            Provision = Provision.ConditionalDischarge, DataDictionaryCode = null, DisplayName = "Conditional discharge (restricted)",
            IsDetention = false, Section132_1 = false, NearestRelativeCopy132_4 = false,
            TribunalWindows = ConditionalDischargePeriods, AutomaticReferences = AutomaticReferenceRule.None,
        };
    }
}
