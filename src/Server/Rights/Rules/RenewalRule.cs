using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// Renewal (or extension) periods. Each renewal runs "from the expiration" of the previous period (s20(2), s20A(3)),
/// so periods are chained: renewal n begins on the local day the previous period's exclusive end falls on.
/// <see cref="Steps"/>[i] is the length of renewal i+1; the last step repeats. <see cref="TotalCap"/>, when set,
/// bounds the whole authority counted from the original start day (s35/s36: 12 weeks; s38: 12 months).
/// </summary>
public sealed record RenewalRule
{
    public RenewalRule(IEnumerable<Period> steps, Period? totalCap = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var copy = steps.ToArray();
        if (copy.Length == 0 || copy.Any(s => s.HasTimeComponent || s.Equals(Period.Zero)))
        {
            throw new ArgumentException("Renewal steps must be non-empty, non-zero date periods.", nameof(steps));
        }

        Steps = Array.AsReadOnly(copy);
        TotalCap = totalCap;
    }

    public IReadOnlyList<Period> Steps { get; }

    public Period? TotalCap { get; }

    /// <summary>Length of the given renewal (1-based); the last step repeats.</summary>
    public Period StepFor(int renewalNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(renewalNumber);
        return Steps[Math.Min(renewalNumber, Steps.Count) - 1];
    }

    // Value equality over the steps, so identical rows in different rule sets compare equal.
    public bool Equals(RenewalRule? other) =>
        other is not null && Steps.SequenceEqual(other.Steps) && Equals(TotalCap, other.TotalCap);

    public override int GetHashCode() => HashCode.Combine(Steps.Count, Steps[0], TotalCap);
}
