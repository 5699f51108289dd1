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
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = (sorted.Count - 1) * p;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return lower == upper ? sorted[lower] : sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
