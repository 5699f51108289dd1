namespace MhaRights.Server.Reporting;

/// <summary>
/// Percentiles by linear interpolation between closest ranks (PostgreSQL percentile_cont, Excel PERCENTILE.INC):
/// for sorted values v[0..n-1] the p-th percentile is at position (n − 1) × p. The median of an even count is the
/// mean of the two middle values.
/// </summary>
public static class Percentiles
{
    /// <summary>The percentile of already sorted values; null when there are none.</summary>
    public static double? OfSorted(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var (lower, upper) = Ranks(sorted.Count, p);
        if (sorted.Count == 0)
        {
            return null;
        }

        return Interpolate(sorted.Count, p, sorted[lower], sorted[upper]);
    }

    /// <summary>
    /// The two ranks (0-based, equal when the position falls on a value) whose values give the p-th percentile of
    /// <paramref name="count"/> sorted values: a caller that only meets the values in order keeps just these.
    /// </summary>
    public static (int Lower, int Upper) Ranks(int count, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        var position = (count - 1) * p;
        return ((int)Math.Floor(position), (int)Math.Ceiling(position));
    }

    /// <summary>The p-th percentile of <paramref name="count"/> sorted values from the values at its <see cref="Ranks"/>.</summary>
    public static double Interpolate(int count, double p, double lowerValue, double upperValue)
    {
        var (lower, upper) = Ranks(count, p);
        return lower == upper ? lowerValue : lowerValue + ((upperValue - lowerValue) * (((count - 1) * p) - lower));
    }
}
