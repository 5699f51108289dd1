using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// Turns rule rows into instants. Conventions (used everywhere, so results compose):
/// <list type="bullet">
/// <item>Every computed end is EXCLUSIVE: the first instant after the authority/window/period has ended.</item>
/// <item>Lengths the law states in hours are real elapsed time from the start instant (72h is 72h across a clock change).</item>
/// <item>Lengths in days/weeks/months "beginning with" a day count that local day (Europe/London) as day 1, so a
/// period ends at local midnight at the start of <c>startDate + length</c>, whatever the time of admission.</item>
/// <item>The first tribunal window opens at the start instant; later windows open at local midnight of their first day.</item>
/// <item>Month arithmetic is NodaTime's: a missing day truncates to the month end (31 Aug + 6 months = 28 Feb), which
/// ends month-end periods a day or so early - the cautious side for reminders [verify corresponding-date rule].</item>
/// </list>
/// </summary>
public sealed class LegalCalendar
{
    private readonly DateTimeZone _zone;

    public LegalCalendar(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _zone = zone;
    }

    /// <summary>Calendar for the law of England and Wales: Europe/London from the TZDB.</summary>
    public static LegalCalendar EnglandAndWales { get; } = new(DateTimeZoneProviders.Tzdb["Europe/London"]);

    public DateTimeZone Zone => _zone;

    public LocalDate LocalDateOf(Instant instant) => instant.InZone(_zone).Date;

    public Instant StartOfDay(LocalDate date) => _zone.AtStartOfDay(date).ToInstant();

    /// <summary>Adds a period in local wall-clock terms (same local time of day; lenient across gaps). For trust reminder intervals.</summary>
    public Instant PlusLocal(Instant from, Period period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var local = from.InZone(_zone).LocalDateTime.Plus(period);
        return local.InZoneLeniently(_zone).ToInstant();
    }

    /// <summary>§3.1: exclusive end of the initial authority; null where there is no fixed end (s37/41, informal...).</summary>
    public Instant? ComputeExpiry(ProvisionRule rule, Instant start)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var duration = rule.DurationRule;
        if (duration.Elapsed is { } elapsed)
        {
            return start + elapsed;
        }

        if (duration.Calendar is { } length)
        {
            return StartOfDay(LocalDateOf(start).Plus(length));
        }

        return null;
    }

    /// <summary>
    /// §3.1: exclusive end after the <paramref name="renewalNumber"/>-th renewal (0 = initial period). Renewals are
    /// chained from the previous end (s20(2) "from the expiration"), and clipped to <see cref="RenewalRule.TotalCap"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative number, a provision that cannot be renewed, or a renewal beyond the total cap.</exception>
    public Instant? ComputeRenewedExpiry(ProvisionRule rule, Instant start, int renewalNumber)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfNegative(renewalNumber);
        if (renewalNumber == 0 || rule.DurationRule.IsIndefinite)
        {
            return ComputeExpiry(rule, start);
        }

        if (rule.Renewal is not { } renewal || rule.DurationRule.Calendar is not { } initial)
        {
            throw new ArgumentOutOfRangeException(nameof(renewalNumber), renewalNumber, $"{rule.DisplayName} cannot be renewed.");
        }

        var startDate = LocalDateOf(start);
        LocalDate? cap = renewal.TotalCap is { } total ? startDate.Plus(total) : null;
        var end = startDate.Plus(initial);
        for (var n = 1; n <= renewalNumber; n++)
        {
            if (cap is { } c && end >= c)
            {
                throw new ArgumentOutOfRangeException(nameof(renewalNumber), renewalNumber, $"{rule.DisplayName} cannot be renewed beyond {renewal.TotalCap} in all.");
            }

            end = end.Plus(renewal.StepFor(n));
            if (cap is { } c2 && end > c2)
            {
                end = c2;
            }
        }

        return StartOfDay(end);
    }

    /// <summary>§3.2: the patient's own application windows that open before <paramref name="until"/> (exclusive).</summary>
    public IReadOnlyList<TribunalWindow> ComputeTribunalWindows(ProvisionRule rule, Instant start, Instant until)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var windows = new List<TribunalWindow>();
        if (until <= start)
        {
            return windows;
        }

        var windowRule = rule.TribunalWindows;
        switch (windowRule.Kind)
        {
            case TribunalWindowKind.WholeEpisode:
                var end = ComputeExpiry(rule, start)
                    ?? throw new InvalidOperationException($"{rule.DisplayName}: a whole-episode window needs a fixed duration.");
                windows.Add(new TribunalWindow(start, end, $"while detained under {rule.DisplayName}"));
                break;

            case TribunalWindowKind.DaysBeginningWithStart:
                // §3.2 s2: "within 14 days beginning with the day of admission" - the admission day is day 1.
                // The Modaresi next-business-day extension is not modelled (office closures are not known here).
                var closes = StartOfDay(LocalDateOf(start).PlusDays(windowRule.Days));
                windows.Add(new TribunalWindow(start, closes, $"{windowRule.Days} days beginning with the day of admission"));
                break;

            case TribunalWindowKind.Periods:
                AddPeriodWindows(windowRule, start, until, windows);
                break;

            case TribunalWindowKind.None:
            default:
                break;
        }

        return windows;
    }

    /// <summary>
    /// §3.3: dates on which an automatic reference falls due, ascending. Each is local midnight at the start of the
    /// anniversary day [inference: the cautious reading of "at the end of"/"more than"]. The caller filters by
    /// whether the patient is still liable at that date and whether an application was made in the period (s68(3)).
    /// </summary>
    /// <param name="rule">The provision row.</param>
    /// <param name="applicableDay">s68(5) "applicable day": for s2-then-s3 the s2 admission; for a CTO the original admission [verify s68(5)].</param>
    /// <param name="lastTribunal">When the case was last considered by a tribunal; null if never (counted from the applicable day [inference]).</param>
    /// <param name="dateOfBirth">For the s68(6) under-18 limb.</param>
    public IReadOnlyList<Instant> ComputeAutomaticReferenceDates(ProvisionRule rule, Instant applicableDay, Instant? lastTribunal, LocalDate dateOfBirth)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var references = rule.AutomaticReferences;
        var dates = new List<Instant>();

        if (references.InitialReference is { } initial)
        {
            var due = StartOfDay(LocalDateOf(applicableDay).Plus(initial));
            // s68(3): no s68(2) reference if the case was already before a tribunal in the period [inference].
            if (lastTribunal is not { } heard || heard >= due)
            {
                dates.Add(due);
            }
        }

        if (references.NotHeardFor is { } notHeard)
        {
            var baseDate = LocalDateOf(lastTribunal ?? applicableDay);
            var adultDue = baseDate.Plus(notHeard);
            var dueDate = adultDue;
            if (references.NotHeardForUnder18 is { } minorPeriod)
            {
                // s68(6): the 1-year limb applies if the patient has not attained 18 when that year has run.
                var minorDue = baseDate.Plus(minorPeriod);
                if (minorDue < EighteenthBirthday(dateOfBirth) && minorDue < adultDue)
                {
                    dueDate = minorDue;
                }
            }

            dates.Add(StartOfDay(dueDate));
        }

        dates.Sort();
        return dates;
    }

    /// <summary>
    /// §3.4 (s58(1)(b)): the point from which medication needs consent or a SOAD certificate - local midnight at the
    /// start of the day 3 months after the first administration [inference: cautious, on or before the statutory moment].
    /// </summary>
    public Instant ComputePart4ThreeMonthPoint(Instant firstMedication) =>
        StartOfDay(LocalDateOf(firstMedication).PlusMonths(3));

    private void AddPeriodWindows(TribunalWindowRule windowRule, Instant start, Instant until, List<TribunalWindow> windows)
    {
        var startDate = LocalDateOf(start);
        var periodStart = startDate;
        var cumulative = Period.Zero;
        for (var index = 0; ; index++)
        {
            var opens = index == 0 ? start : StartOfDay(periodStart);
            if (opens >= until)
            {
                return;
            }

            var step = windowRule.StepAt(index);
            var offset = cumulative;
            cumulative += step;
            var periodEnd = windowRule.Chained ? periodStart.Plus(step) : startDate.Plus(cumulative);
            if (index > 0 || windowRule.FirstPeriodEligible)
            {
                windows.Add(new TribunalWindow(opens, StartOfDay(periodEnd), Label(offset, step, index)));
            }

            periodStart = periodEnd;
        }
    }

    private static string Label(Period offset, Period step, int index)
    {
        var offsetMonths = (offset.Years * 12) + offset.Months;
        var stepMonths = (step.Years * 12) + step.Months;
        var wholeMonths = offset.Days == 0 && offset.Weeks == 0 && step.Days == 0 && step.Weeks == 0;
        return (wholeMonths, offsetMonths, stepMonths) switch
        {
            (true, 0, 6) => "first 6 months",
            (true, 6, 6) => "second 6 months",
            (true, _, 12) when offsetMonths % 12 == 0 => $"year {(offsetMonths / 12) + 1}",
            (true, _, _) when offsetMonths % 12 == 0 && stepMonths % 12 == 0 =>
                $"years {(offsetMonths / 12) + 1}-{(offsetMonths + stepMonths) / 12}",
            (true, _, _) => $"months {offsetMonths + 1}-{offsetMonths + stepMonths}",
            _ => $"period {index + 1}",
        };
    }

    // [verify] A 29 February birthday is taken to be reached on 1 March in a non-leap year (the later date, so the
    // under-18 limb is applied for longer); NodaTime alone would say 28 February.
    private static LocalDate EighteenthBirthday(LocalDate dateOfBirth)
    {
        var birthday = dateOfBirth.PlusYears(18);
        return birthday.Day < dateOfBirth.Day ? birthday.PlusDays(1) : birthday;
    }
}
