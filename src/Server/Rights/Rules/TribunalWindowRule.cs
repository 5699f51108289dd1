using NodaTime;

namespace MhaRights.Server.Rights.Rules;

public enum TribunalWindowKind
{
    /// <summary>No right to apply (s5, s35, s36, s38, s135, s136...).</summary>
    None,

    /// <summary>Any time while held: one window covering the episode (s4).</summary>
    WholeEpisode,

    /// <summary>Within N days beginning with the start day (s2: 14).</summary>
    DaysBeginningWithStart,

    /// <summary>Successive periods (6 months, 6 months, then yearly...): one window per eligible period.</summary>
    Periods,
}

/// <summary>
/// How the patient's own tribunal application windows are laid out (§3.2). For <see cref="TribunalWindowKind.Periods"/>,
/// <see cref="Steps"/>[i] is the length of period i (last step repeats). <see cref="Chained"/> periods start on the
/// day the previous one ends (they track s20 renewal periods); otherwise each boundary is counted from the start
/// day (s70/s75: "between the expiration of six months and the expiration of 12 months beginning with the date of
/// the order"). The two differ only for month-end start dates.
/// </summary>
public sealed record TribunalWindowRule
{
    private TribunalWindowRule(TribunalWindowKind kind, int days, IReadOnlyList<Period> steps, bool chained, bool firstPeriodEligible)
    {
        Kind = kind;
        Days = days;
        Steps = steps;
        Chained = chained;
        FirstPeriodEligible = firstPeriodEligible;
    }

    public TribunalWindowKind Kind { get; }

    public int Days { get; }

    public IReadOnlyList<Period> Steps { get; }

    public bool Chained { get; }

    /// <summary>False where no application may be made in the first period (s37, restricted patients).</summary>
    public bool FirstPeriodEligible { get; }

    public static TribunalWindowRule None { get; } = new(TribunalWindowKind.None, 0, [], false, false);

    public static TribunalWindowRule WholeEpisode { get; } = new(TribunalWindowKind.WholeEpisode, 0, [], false, true);

    public static TribunalWindowRule WithinDays(int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        return new(TribunalWindowKind.DaysBeginningWithStart, days, [], false, true);
    }

    public static TribunalWindowRule Periods(IEnumerable<Period> steps, bool chained, bool firstPeriodEligible)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var copy = steps.ToArray();
        if (copy.Length == 0 || copy.Any(s => s.HasTimeComponent || s.Equals(Period.Zero)))
        {
            throw new ArgumentException("Window periods must be non-empty, non-zero date periods.", nameof(steps));
        }

        return new(TribunalWindowKind.Periods, 0, Array.AsReadOnly(copy), chained, firstPeriodEligible);
    }

    /// <summary>Length of period <paramref name="index"/> (0-based); the last step repeats.</summary>
    public Period StepAt(int index) => Steps[Math.Min(index, Steps.Count - 1)];

    // Value equality over the steps, so identical rows in different rule sets compare equal.
    public bool Equals(TribunalWindowRule? other) =>
        other is not null && Kind == other.Kind && Days == other.Days && Chained == other.Chained
        && FirstPeriodEligible == other.FirstPeriodEligible && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => HashCode.Combine(Kind, Days, Steps.Count, Chained, FirstPeriodEligible);
}
